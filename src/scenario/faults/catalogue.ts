import { LabError } from '../../errors.js';
import { backendDown } from './backend-down.js';
import { directorNginxStop } from './director-nginx-stop.js';
import { freeze } from './freeze.js';
import type { FaultDefinition } from './fault.js';
import { keepalivedKill } from './keepalived-kill.js';
import { keepalivedStop } from './keepalived-stop.js';
import { linkDown } from './link-down.js';
import { linkLoss } from './link-loss.js';
import { nodeCrash } from './node-crash.js';
import { vrrpPartition } from './vrrp-partition.js';

/** Every fault `lab:failover --fault NAME` knows, in the order `--fault all` runs them. */
export const faultCatalogue: readonly FaultDefinition[] = [linkDown, keepalivedStop, keepalivedKill, nodeCrash, directorNginxStop, backendDown, vrrpPartition, freeze, linkLoss];

export const defaultFaultName = 'link-down';

export function faultNamed(name: string): FaultDefinition {
  const found = faultCatalogue.find((fault) => fault.name === name);
  if (!found) {
    throw new LabError('USAGE', `unknown fault "${name}"; the catalogue: ${faultCatalogue.map((fault) => fault.name).join(', ')} (or all)`, {
      hint: 'npm run lab:failover -- --fault NAME [--node NODE]',
    });
  }
  return found;
}
