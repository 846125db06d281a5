import { ownFaults } from '../checks/own-faults.js';
import type { ScenarioResult } from '../scenario/timeline.js';
import { labCriteria } from './lab-criteria.js';

/**
 * A scenario run is timing on a shared host: a correct configuration once missed the failback bound
 * by a fraction of a second, or had its balancers go to FAULT by themselves (the seed's
 * `systemctl status nginx` outlasting its 2-s interval on a starved node), in CI. A first run that
 * fails a lab criterion or shows such FAULTs is run once more, and the run that meets more criteria
 * is graded (the second on a tie): a configuration at fault fails both runs, the host's noise
 * rarely strikes twice. Pure, over the recorded runs.
 */
export function whyRunAgain(first: ScenarioResult): string | undefined {
  const faults = ownFaults(first);
  const failing = failingCriteria(first);
  const parts: string[] = [];
  if (faults.length > 0) parts.push(`the balancers went to FAULT by themselves (${faults.map((fault) => `${fault.node} at ${fault.at.toFixed(2)} s`).join(', ')}), as a busy host can make them`);
  if (failing.length > 0) parts.push(`${failing.map((criterion) => criterion.id).join(', ')} failed (${failing[0]?.message})`);
  return parts.length > 0 ? `in a first run of the scenario ${parts.join('; and ')}` : undefined;
}

/** Which of two runs to grade, and the note that says why for the feedback. */
export function gradedRun(first: ScenarioResult, second: ScenarioResult): { run: 'first' | 'second'; note: string } {
  const why = whyRunAgain(first) ?? 'a first run of the scenario was run once more';
  const [before, after] = [failingCriteria(first), failingCriteria(second)];
  const again = ownFaults(second).length > 0 ? ' (its balancers went to FAULT by themselves again)' : '';
  const run = before.length < after.length ? 'first' : 'second';
  const outcome = after.length === 0 ? 'every lab criterion passed' : `${after.map((criterion) => criterion.id).join(', ')} failed`;
  return { run, note: `${why}: the scenario ran once more${again}, where ${outcome}; the grade is the ${run} run's${run === 'first' ? ', which met more criteria' : ''}` };
}

function failingCriteria(result: ScenarioResult) {
  return labCriteria({ kind: 'ran', scenario: result, notes: [] }, 'en', '').filter((criterion) => !criterion.pass);
}
