import { findingsFromKeepalivedCheck } from './keepalived-check-output.js';
import type { KeepalivedChecker } from './keepalived-host-check.js';
import { severityOf } from './messages.js';
import type { RoleAssignment } from './roles.js';
import type { LabTopology } from './topology.js';
import type { RawFinding } from './types.js';

/**
 * keepalived's own parser on each balancer's config, as its node would run it (its lab interface
 * and address present). Only what keepalived rejects or ignores is kept, and only for a config
 * in which the grader's own checks found no error: they word the same mistakes with a hint, and
 * after a first mistake keepalived's parser reports its consequences line after line.
 */
export function keepalivedTFindings(roles: RoleAssignment[], topology: LabTopology | undefined, checker: KeepalivedChecker, ours: RawFinding[]): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const role of roles) {
    const { config } = role;
    const lastLine = config.firstLine + config.text.split('\n').length - 1;
    const oursHere = ours.filter((finding) => finding.file === config.file && finding.line !== undefined && finding.line >= config.firstLine && finding.line <= lastLine);
    if (oursHere.some((finding) => severityOf(finding.code) === 'error')) continue;
    const linesOfOurs = new Set(oursHere.map((finding) => finding.line));
    const node = {
      interfaceName: topology?.interface ?? config.config.vrrpInstances[0]?.interface?.value ?? 'eth1',
      address: topology?.balancers[role.balancer] ?? '192.0.2.1',
      prefix: topology?.prefix ?? 24,
    };
    const run = checker(config.text, node);
    for (const finding of findingsFromKeepalivedCheck(run.output, { nodePath: 'keepalived.conf', file: config.file, firstLine: config.firstLine })) {
      if (finding.code !== 'keepalived-error') continue;
      const said = finding.line !== undefined ? linesOfOurs.has(finding.line) : oursHere.length > 0;
      if (!said) findings.push(finding);
    }
  }
  return findings;
}
