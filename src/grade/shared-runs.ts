import { createHash } from 'node:crypto';
import type { LabStageRun } from './lab-stage.js';
import type { SubmissionLab } from './lab-spec.js';

/** Where a note points in a submission's files (homework.md:74, keepalived-master.conf:24); an address:port has no letter. */
const fileLine = /[\w.-]*[A-Za-z][\w.-]*:\d+/g;

/** A submission as the batch knows it: its path, and where its scenario report goes. */
export interface BatchSubmission {
  path: string;
  reportDir?: string;
}

/**
 * Labs of one batch that would run the same thing run once. Students hand in the same answer more
 * often than not (the seed's, a classmate's), and what a lab does is fixed by what the grader built
 * from the submission: the spec (its name aside), the scenario and the notes. Markdown, comments,
 * file names and odd files around the configs do not reach it, nor where in its files a note points
 * (the same answer at another markdown line). A later submission with the same lab takes the first
 * one's run, with its own notes and one naming the first; each is judged with its own static stage.
 * Only a run whose scenario ran is shared: after a timeout, an error or a lab that did not come up,
 * the next one runs its own.
 */
export class SharedLabRuns {
  private readonly runs = new Map<string, { submission: BatchSubmission; lab: SubmissionLab; run: Promise<LabStageRun | undefined> }>();

  /** What a lab runs, as a key: two labs with equal keys cannot tell each other apart. */
  static keyOf(lab: SubmissionLab): string {
    const { name: _name, sourcePath: _sourcePath, ...spec } = lab.spec;
    const notes = lab.notes.map((note) => note.replace(fileLine, 'FILE:LINE'));
    return createHash('sha256').update(JSON.stringify({ spec, plan: lab.plan, notes })).digest('hex');
  }

  /**
   * The run of an equal lab that an earlier submission started (waited for) when it ran to its end,
   * with a note naming that submission, or else `own()` (undefined: timed out), kept for the ones after.
   */
  async once(lab: SubmissionLab, submission: BatchSubmission, own: () => Promise<LabStageRun | undefined>): Promise<{ run: LabStageRun | undefined; sharedWith?: BatchSubmission }> {
    const key = SharedLabRuns.keyOf(lab);
    const earlier = this.runs.get(key);
    if (earlier) {
      const run = await earlier.run.catch(() => undefined);
      // A rejected or failed lab is not shared: its findings and logs name the first submission's files.
      if (run?.result.kind === 'ran') {
        const note = `the lab ran once for this submission and ${earlier.submission.path}: the grader built the same lab from both (spec, configs, scenario)`;
        // This submission's notes (its own file and line), then what the run itself added (a second run).
        const notes = [...lab.notes, ...run.result.notes.slice(earlier.lab.notes.length), note];
        return { run: { ...run, result: { ...run.result, notes } }, sharedWith: earlier.submission };
      }
    }
    const run = own();
    this.runs.set(key, { submission, lab, run });
    return { run: await run };
  }
}
