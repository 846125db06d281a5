import type { ProviderChoice } from '../provider/choose.js';
import type { LabSpec } from '../spec/types.js';
import { type Check, formatCheck, problemsOf } from './check.js';
import { umlChecks } from './uml-checks.js';
import { vagrantChecks } from './vagrant-checks.js';

export interface DoctorReport {
  text: string;
  /** The chosen provider has no problem. */
  ready: boolean;
}

/** Both providers' checks, the chosen one first; ready is about the chosen one only. */
export async function doctorReport(spec: LabSpec, choice: ProviderChoice): Promise<DoctorReport> {
  const sections: { name: string; checks: Check[] }[] = [
    { name: 'uml', checks: umlChecks(spec) },
    { name: 'vagrant', checks: await vagrantChecks(spec) },
  ].sort((a, b) => Number(b.name === choice.name) - Number(a.name === choice.name));
  const chosen = sections[0]?.checks ?? [];
  const ready = problemsOf(chosen).length === 0;
  const lines = [`provider: ${choice.name} (${choice.reason})`];
  for (const section of sections) {
    const count = problemsOf(section.checks).length;
    lines.push('', `${section.name}${section.name === choice.name ? ' (chosen)' : ''}: ${count === 0 ? 'ready' : `${count} problem${count > 1 ? 's' : ''}`}`);
    lines.push(...section.checks.map(formatCheck));
  }
  lines.push('', ready ? `ready: npm run lab:up${choice.name === 'uml' ? '' : ' -- --provider vagrant'}` : `not ready for ${choice.name}: fix the ✗ lines above`, '');
  return { text: lines.join('\n'), ready };
}
