import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { asExpected } from '../checks/failover-checks.js';
import { LabError } from '../errors.js';

/** The parts of result.json the index reads; anything else in it (e.g. a fault's own record) is let through. */
const resultShape = z.looseObject({
  runId: z.string(),
  load: z.looseObject({ failed: z.number() }),
  // transitions: keepalived's state changes during the load, as the run's summary counts them.
  measures: z.looseObject({ failoverSeconds: z.number().nullish(), outageSeconds: z.number(), transitions: z.number().optional().catch(undefined) }),
  // `expected`: a FAIL the fault is expected to cause (a split brain under a VRRP partition), or either verdict.
  checks: z.array(z.looseObject({ id: z.string().optional(), pass: z.boolean(), expected: z.enum(['fail', 'either']).optional().catch(undefined) })),
  events: z.array(z.looseObject({ kind: z.string() })),
  // The fault catalogue's own record of the fault, whatever else it holds; a shape not known here is left out.
  fault: z.union([z.string(), z.looseObject({ name: z.string() })]).optional().catch(undefined),
});

export type IndexedResult = z.infer<typeof resultShape>;

/** One run in the index: the figures a reader compares across faults. */
export interface FaultIndexRow {
  runId: string;
  fault: string;
  failoverSeconds: number | undefined;
  outageSeconds: number;
  failedRequests: number;
  vrrpTransitions: number;
  /** Every check saw what the fault should make: a PASS, or the FAIL the fault is expected to cause. */
  pass: boolean;
  /** Checks that failed as the fault should make them, e.g. split-brain. */
  expectedFailures: string[];
  /** report.html of the run, relative to the index. */
  reportHref: string;
}

export function readIndexedResult(file: string): IndexedResult {
  let parsed: ReturnType<typeof resultShape.safeParse>;
  try {
    parsed = resultShape.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (cause) {
    throw new LabError('RESULT_UNREADABLE', `${file} cannot be read as JSON`, { cause, hint: 'run the scenario again; the file is missing, cut short or edited' });
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LabError('RESULT_UNREADABLE', `${file} is not a run's result.json: ${issue?.path.join('.') || '(top level)'}: ${issue?.message}`, {
      cause: parsed.error,
      hint: 'pass only run folders that lab:failover wrote',
    });
  }
  return parsed.data;
}

export function faultIndexRow(result: IndexedResult, reportHref: string): FaultIndexRow {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const injected = text(result.events.find((event) => event.kind === 'fault' && event.action === 'inject')?.fault);
  return {
    runId: result.runId,
    fault: (typeof result.fault === 'string' ? result.fault : result.fault?.name) ?? injected ?? 'none',
    failoverSeconds: result.measures.failoverSeconds ?? undefined,
    outageSeconds: result.measures.outageSeconds,
    failedRequests: result.load.failed,
    // As the run's own summary counts them (during the load); older results without it: the whole recording.
    vrrpTransitions: result.measures.transitions ?? result.events.filter((event) => event.kind === 'vrrp-state' && event.source === 'journal').length,
    pass: result.checks.length > 0 && result.checks.every(asExpected),
    expectedFailures: result.checks.filter((check) => check.expected === 'fail' && !check.pass).map((check) => check.id ?? '?'),
    reportHref,
  };
}

/** After the verdict: the checks that failed as the fault makes them, if any (" (split-brain FAIL, as the fault makes it)"). */
export function expectedFailuresNote(row: FaultIndexRow): string {
  return row.expectedFailures.length > 0 ? ` (${row.expectedFailures.join(', ')} FAIL, as the fault makes it)` : '';
}

/** The table's cells as text, the same in summary.md and index.html. */
export const faultIndexColumns: { title: string; cell: (row: FaultIndexRow) => string }[] = [
  { title: 'fault', cell: (row) => row.fault },
  { title: 'failover time', cell: (row) => (row.failoverSeconds === undefined ? 'never' : `${row.failoverSeconds.toFixed(2)} s`) },
  { title: 'client outage', cell: (row) => `${row.outageSeconds.toFixed(2)} s` },
  { title: 'failed requests', cell: (row) => String(row.failedRequests) },
  { title: 'VRRP transitions', cell: (row) => String(row.vrrpTransitions) },
  { title: 'verdict', cell: (row) => `${row.pass ? 'PASS' : 'FAIL'}${expectedFailuresNote(row)}` },
];
