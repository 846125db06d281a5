import { connectionChecks } from '../../checks/connection-checks.js';
import { LabError } from '../../errors.js';
import { labPaths } from '../../lab/state.js';
import { renderConnectionsSummary } from '../../report/connections-summary.js';
import { writeConnectionsReport } from '../../report/write.js';
import { defaultConnectionsPlan, type ConnectionsPlan } from '../../scenario/connections-plan.js';
import { runConnectionsScenario } from '../../scenario/connections.js';
import { createProgress } from '../../util/progress.js';
import type { CommandLine } from '../command-line.js';
import { labSpecOf } from '../lab-spec.js';
import { labForScenario } from '../scenario-lab.js';

/** A whole number option in [min, max], or the default; anything else is a usage error naming it. */
function wholeOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new LabError('USAGE', `--${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}

/** Homework Q1 on the running lab (brought up first if it is not): ActiveConn and InActConn measured; exits 1 if a check fails. */
export async function connections(cli: CommandLine): Promise<number> {
  const plan: ConnectionsPlan = {
    ...defaultConnectionsPlan,
    connections: wholeOption('connections', cli.options.connections, defaultConnectionsPlan.connections, 1, 200),
    holdSeconds: wholeOption('hold', cli.options.hold, defaultConnectionsPlan.holdSeconds, 1, 600),
    finTimeoutSeconds: wholeOption('fin-timeout', cli.options['fin-timeout'], defaultConnectionsPlan.finTimeoutSeconds, 2, 300),
  };
  const progress = createProgress();
  const labSpec = await labSpecOf(cli);
  const paths = labPaths(labSpec.name);
  const meta = await labForScenario(cli, labSpec, paths, progress);
  const result = await runConnectionsScenario(paths, meta, plan, progress);
  const checks = connectionChecks(result);
  const summary = renderConnectionsSummary(result, checks);
  const dir = writeConnectionsReport(result, checks, summary);
  process.stdout.write(summary.split('\n## Over time')[0] ?? summary);
  progress.info(`report: ${dir}/report.html, summary.md and result.json`);
  return checks.every((check) => check.pass) ? 0 : 1;
}
