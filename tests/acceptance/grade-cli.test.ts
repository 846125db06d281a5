import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { corpusCases, expectedCase, prepareCase } from '../grade-corpus.js';
import { gradeLabsOnHost, hostNetworkSnapshot, noStackTrace, runCli } from './cli.js';

const criteria = ['config-valid', 'roles', 'vip-serves', 'balanced', 'failover', 'no-split-brain', 'failback'];
/** What the hostile submissions try to plant on the host through hostfs. */
const planted = 'PWNED-failover-lab';

/** grades.csv as rows of cells (RFC 4180: quoted cells may hold commas and doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.trim().split(/\r?\n/)) {
    const cells: string[] = [];
    for (const match of line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)) {
      const cell = match[1] ?? '';
      cells.push(cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell);
      if (match[2] === '') break;
    }
    rows.push(cells);
  }
  return rows;
}

function wellFormedXml(text: string): void {
  const parser = new SaxesParser();
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(text).close();
}

/** Files the hostile submissions could have planted, wherever a host path is writable by the sandbox's user. */
function plantedFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry);
      if (entry.startsWith(planted)) found.push(full);
      try {
        if (depth > 0 && statSync(full).isDirectory() && !full.startsWith('/proc') && !full.startsWith('/sys')) walk(full, depth - 1);
      } catch {
        // gone meanwhile
      }
    }
  };
  for (const dir of ['/', '/tmp', '/var/tmp', '/dev/shm', '/var/lib/failover-lab', '/var/cache/failover-lab', os.homedir()]) walk(dir, dir === '/' ? 0 : 4);
  return found;
}

describe("lab:grade: the submissions corpus graded for real, as one batch at the grader's default --jobs (acceptance)", function () {
  this.timeout(3_600_000);
  const work = mkdtempSync(path.join(os.tmpdir(), 'failover-lab-grade-'));
  const out = path.join(work, 'out');
  const cases = corpusCases();
  /** Path given to the grader → the corpus case it is (the seed answer three times). */
  const caseOf = new Map<string, string>();
  let result: Awaited<ReturnType<typeof runCli>>;
  let hostNetworkBefore = '';
  let gradeLabsBefore: ReturnType<typeof gradeLabsOnHost>;

  before(async function () {
    this.timeout(3_600_000);
    for (const name of cases) caseOf.set(prepareCase(name, expectedCase(name), path.join(work, name)), name);
    for (const copy of [2, 3]) caseOf.set(prepareCase('seed-answer', expectedCase('seed-answer'), path.join(work, `seed-answer-${copy}`)), 'seed-answer');
    hostNetworkBefore = hostNetworkSnapshot();
    gradeLabsBefore = gradeLabsOnHost();
    // The default, as a grader here would run it: on 2 cores one lab in its scenario while the next two come up at background CPU priority (defaultJobs).
    result = await runCli(['grade', ...caseOf.keys(), '--out', out], { timeoutMs: 3_500_000 });
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  type Grade = { submission: string; verdict: string; criteria: { id: string; pass: boolean; message: string }[] };
  let gradedBySubmission: Map<string, { folder: string; grade: Grade }> | undefined;
  /** Every grade.json the batch wrote, by the submission it grades (read once, after the batch). */
  function graded(): Map<string, { folder: string; grade: Grade }> {
    gradedBySubmission ??= new Map(
      readdirSync(out)
        .filter((folder) => existsSync(path.join(out, folder, 'grade.json')))
        .map((folder) => {
          const grade = JSON.parse(readFileSync(path.join(out, folder, 'grade.json'), 'utf8')) as Grade;
          return [grade.submission, { folder, grade }];
        }),
    );
    return gradedBySubmission;
  }

  /** The grade.json written for the submission given as `submission`. */
  const gradeOf = (submission: string): Grade | undefined => graded().get(submission)?.grade;

  /** The grade and feedback of the corpus case that ran its own lab (not one that took another's run). */
  function ranItsOwn(name: string): { grade: Grade; feedback: string } {
    for (const [submission, caseName] of caseOf) {
      const entry = caseName === name ? graded().get(submission) : undefined;
      if (!entry) continue;
      const feedback = readFileSync(path.join(out, entry.folder, 'feedback.md'), 'utf8');
      if (!feedback.includes('the lab ran once for this submission and')) return { grade: entry.grade, feedback };
    }
    throw new Error(`no submission of ${name} ran its own lab`);
  }

  it('gives every submission its row, its grade.json and feedback.md; exits 1 as some fail; no stack trace', () => {
    expect(result.code, result.stderr).to.equal(1);
    expect(noStackTrace(result.stderr), result.stderr).to.equal(true);
    expect(result.stderr).to.match(new RegExp(`graded ${caseOf.size}/${caseOf.size}`));
    const [header, ...rows] = parseCsv(readFileSync(path.join(out, 'grades.csv'), 'utf8'));
    expect(header).to.deep.equal(['submission', 'verdict', 'score', 'max_score', ...criteria]);
    expect(rows.map((row) => row[0]).sort()).to.deep.equal([...caseOf.keys()].sort());
    const folders = readdirSync(out).filter((entry) => statSync(path.join(out, entry)).isDirectory());
    expect(folders).to.have.length(caseOf.size);
    for (const folder of folders) {
      const grade = JSON.parse(readFileSync(path.join(out, folder, 'grade.json'), 'utf8')) as { verdict: string; criteria: unknown[]; findings: unknown[] };
      expect(grade.criteria, folder).to.have.length(criteria.length);
      expect(readFileSync(path.join(out, folder, 'feedback.md'), 'utf8')).to.match(/^# Homework 3\.8: /);
    }
    const junit = readFileSync(path.join(out, 'junit.xml'), 'utf8');
    wellFormedXml(junit);
    expect(junit.match(/<testsuite /g)).to.have.length(caseOf.size);
  });

  it('runs one scenario at a time while the next labs come up beside it at background CPU priority', () => {
    expect(result.stderr).to.match(/3 labs at a time, 1 in a scenario, the others at background CPU priority/);
    // Every scenario run of the batch (second runs too; a shared run is copied, so once by its id): none overlaps another.
    const runs = new Map<string, { startedAt: number; endedAt: number }>();
    for (const folder of readdirSync(out)) {
      for (const dir of ['scenario', 'scenario-second-run']) {
        const file = path.join(out, folder, dir, 'result.json');
        if (!existsSync(file)) continue;
        const run = JSON.parse(readFileSync(file, 'utf8')) as { runId: string; startedAt: number; endedAt: number };
        runs.set(run.runId, { startedAt: run.startedAt, endedAt: run.endedAt });
      }
    }
    const ordered = [...runs.values()].sort((a, b) => a.startedAt - b.startedAt);
    expect(ordered.length, 'scenario runs found').to.be.at.least(12);
    for (const [index, run] of ordered.entries()) {
      const before = ordered[index - 1];
      if (before) expect(run.startedAt, `a scenario started at ${run.startedAt} before the one of ${before.startedAt} ended (${before.endedAt})`).to.be.at.least(before.endedAt);
    }
  });

  it('grades each case as its expected.json says: the verdict and exactly the failing criteria', () => {
    const [header, ...rows] = parseCsv(readFileSync(path.join(out, 'grades.csv'), 'utf8'));
    const mismatches: string[] = [];
    for (const row of rows) {
      const name = caseOf.get(row[0] ?? '') ?? '?';
      const expected = expectedCase(name).grade;
      const judged = criteria.filter((id) => !expected.mayFail?.includes(id as never));
      const failing = judged.filter((id) => row[header!.indexOf(id)] !== '1');
      const verdicts: string[] = [expected.verdict].flat();
      if (!verdicts.includes(row[1] ?? '') || failing.join(',') !== judged.filter((id) => expected.failing.includes(id as never)).join(',')) {
        // What the grader said goes with it: a CI log is all there is of a mismatch.
        const said = gradeOf(row[0] ?? '')?.criteria.filter((criterion) => !criterion.pass).map((criterion) => `\n    ${criterion.id}: ${criterion.message.slice(0, 400)}`).join('') ?? '';
        mismatches.push(`${name}: ${row[1]} failing [${failing.join(', ')}], expected ${verdicts.join(' or ')} failing [${expected.failing.join(', ')}]${said}`);
      }
    }
    expect(mismatches, mismatches.join('\n')).to.deep.equal([]);
  });

  it('runs a scenario once more when its first run failed a criterion or its balancers went to FAULT by themselves, and says so', () => {
    // check-pings-master's backup goes to FAULT at every fault (its check pings the master); hostile-busy's
    // busy track_script often does; on this host correct configs sometimes need it too.
    expect(ranItsOwn('check-pings-master').feedback).to.match(/in a first run of the scenario the balancers went to FAULT by themselves \\?\(balancer2 at .*the scenario ran once more/);
    const notes = readdirSync(out)
      .filter((entry) => statSync(path.join(out, entry)).isDirectory())
      .map((folder) => readFileSync(path.join(out, folder, 'feedback.md'), 'utf8'))
      .flatMap((feedback) => feedback.split('\n').filter((line) => line.includes('the scenario ran once more')));
    expect(notes, 'no submission was run twice').not.to.be.empty;
    for (const note of notes) {
      expect(note).to.match(/in a first run of the scenario (the balancers went to FAULT by themselves \\?\(balancer[12] at -?\d+\.\d\d s|[a-z, -]+ failed \\?\()/);
      expect(note).to.match(/the grade is the (first|second) run's|broke off/);
    }
  });

  it('does not run a persistent service again for its foreseen unbalanced load, and says so', () => {
    const { grade, feedback } = ranItsOwn('persistence-timeout');
    expect(grade.criteria.filter((criterion) => !criterion.pass).map((criterion) => criterion.id)).to.deep.equal(['balanced']);
    // Run again only for something else (the host's noise), never for balanced alone.
    expect(feedback).not.to.match(/in a first run of the scenario balanced failed \\?\(/);
    expect(/balanced failed as the static stage foresaw .*: the scenario was not run again/.test(feedback) || feedback.includes('the scenario ran once more'), feedback).to.equal(true);
  });

  it('runs one lab for the answers that build the same one (the good answer three times, beside odd files, in other markdown): graded alike, and each told so', () => {
    const [, ...rows] = parseCsv(readFileSync(path.join(out, 'grades.csv'), 'utf8'));
    const folderOf = (submission: string) => path.join(out, graded().get(submission)!.folder);
    const sharedNote = /the lab ran once for this submission and (\S+): the grader built the same lab/;
    // The corpus's folders that hold the good answer beside an odd file, or in Russian markdown, build one lab too (tests/unit/grade-shared-runs).
    for (const group of [['seed-answer'], ['binary-file', 'good-markdown', 'large-file', 'non-utf8', 'russian-noda', 'symlink-outside']]) {
      const members = rows.filter((row) => group.includes(caseOf.get(row[0] ?? '') ?? ''));
      expect(new Set(members.map((row) => row.slice(1).join(','))).size, members.map((row) => row.join(',')).join('\n')).to.equal(1);
      expect(members[0]?.[1]).to.equal('pass');
      const notes = members.map((row) => readFileSync(path.join(folderOf(row[0]!), 'feedback.md'), 'utf8').match(sharedNote)?.[1]);
      const ran = members.filter((_, index) => notes[index] === undefined).map((row) => row[0]);
      expect(ran, `one of ${group.join(', ')} ran the lab`).to.have.length(1);
      for (const note of notes.filter((note) => note !== undefined)) expect(note).to.equal(ran[0]);
      // Its report is in each folder that took it.
      for (const row of members) expect(existsSync(path.join(folderOf(row[0]!), 'scenario', 'result.json')), row[0]).to.equal(true);
    }
  });

  it("the seed answer: every criterion, the homework's ipvsadm -Ln --stats of both balancers before the fault and at the end, the run's summary, which config is which balancer", () => {
    const { grade, feedback } = ranItsOwn('seed-answer');
    expect(grade.criteria.filter((criterion) => !criterion.pass).map((criterion) => `${criterion.id}: ${criterion.message}`)).to.deep.equal([]);
    expect(grade).to.include({ verdict: 'pass', score: 12, maxScore: 12 });
    const stats = ['balancer1, before the fault', 'balancer1, at the end', 'balancer2, before the fault', 'balancer2, at the end'].map((title) => feedback.split(`### ${title}\n`)[1]?.split('```')[1] ?? '');
    for (const text of stats) expect(text).to.match(/TCP\s+172\.28\.128\.200:80/);
    // The backup's counters, zero before the fault, show the load it took over.
    expect(stats[2]).to.match(/TCP\s+172\.28\.128\.200:80\s+0\s/);
    expect(stats[3]).not.to.match(/TCP\s+172\.28\.128\.200:80\s+0\s/);
    expect(feedback).to.include('## Verdict: PASS (6/6 checks)');
    expect(feedback.split('## Which config is which balancer\n\n')[1]?.split('\n\n')[0]?.split('\n')).to.have.length(2);
  });

  it("virtual_server blocks: keepalived's own IPVS serves and fails over (no ipvsadm rules applied), on the backup too from before the fault", () => {
    const { grade, feedback } = ranItsOwn('virtual-server-folder');
    expect(grade.criteria.filter((criterion) => !criterion.pass).map((criterion) => `${criterion.id}: ${criterion.message}`)).to.deep.equal([]);
    expect(grade.verdict).to.equal('pass');
    expect(feedback.split('### How the lab was set up and run')[1]).to.include('virtual\\_server');
    // keepalived sets IPVS up on both balancers: the backup's service is there, its counters from zero.
    expect(feedback.split('### balancer2, before the fault\n')[1]?.split('```')[1]).to.match(/TCP\s+172\.28\.128\.200:80\s+0\s/);
  });

  it("a track_script that always fails: the lab never serves, the grade fails the lab criteria with keepalived's own log lines", () => {
    const { grade, feedback } = ranItsOwn('check-always-fails');
    expect(grade.verdict).to.equal('fail');
    expect(grade.criteria.find((criterion) => criterion.id === 'config-valid')?.pass).to.equal(true);
    expect(grade.criteria.find((criterion) => criterion.id === 'vip-serves')?.pass).to.equal(false);
    // The feedback escapes Markdown outside code blocks: underscores and brackets may come as \_ and \(.
    expect(feedback).to.match(/VIP\\?_NOT\\?_SERVING|VRRP\\?_NOT\\?_CONVERGED/);
    expect(feedback).to.match(/balancer[12] \\?\((journal|console)\\?\): .*(chk\\?_nginx|FAULT)/);
  });

  it('leaves the host as it was: no lab, no process, no interface, and nothing a hostile submission planted', () => {
    expect(gradeLabsOnHost()).to.deep.equal(gradeLabsBefore);
    expect(hostNetworkSnapshot()).to.equal(hostNetworkBefore);
    expect(plantedFiles()).to.deep.equal([]);
  });
});

describe('lab:grade interrupted by SIGTERM, as a cancelled CI job is (acceptance)', function () {
  this.timeout(300_000);
  const work = mkdtempSync(path.join(os.tmpdir(), 'failover-lab-grade-stop-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('removes the lab it had running, keeps the grade it had made, exits 130', async () => {
    const graded = prepareCase('no-configs', expectedCase('no-configs'), path.join(work, 'no-configs'));
    const interrupted = prepareCase('seed-answer', expectedCase('seed-answer'), path.join(work, 'seed-answer'));
    const out = path.join(work, 'out');
    const hostNetwork = hostNetworkSnapshot();
    const before = gradeLabsOnHost();
    let labSeen = false;
    const result = await runCli(['grade', graded, interrupted, '--jobs', '1', '--out', out], {
      timeoutMs: 240_000,
      whileRunning: (child) => {
        // The first has no configs (no lab); the second's lab is booting when the signal comes.
        const poll = setInterval(() => {
          if (labSeen || gradeLabsOnHost().processes.length <= before.processes.length) return;
          labSeen = true;
          setTimeout(() => child.kill('SIGTERM'), 3_000);
        }, 300);
        child.on('close', () => clearInterval(poll));
      },
    });
    expect(labSeen, result.stderr).to.equal(true);
    expect(result.code, result.stderr).to.equal(130);
    expect(result.stderr).to.match(/SIGTERM: removing the 1 lab\(s\) this batch had running \(grade-\w+\)/);
    expect(result.stderr).to.match(/interrupted after 1\/2 graded: .*grades\.csv/);
    expect(noStackTrace(result.stderr), result.stderr).to.equal(true);
    expect(gradeLabsOnHost()).to.deep.equal(before);
    expect(hostNetworkSnapshot()).to.equal(hostNetwork);
    const [, ...rows] = parseCsv(readFileSync(path.join(out, 'grades.csv'), 'utf8'));
    expect(rows.map((row) => `${row[0]} ${row[1]}`)).to.deep.equal([`${graded} fail`]);
  });
});

describe('lab:grade: usage, bad input, shards and merging (acceptance, static stage only)', function () {
  this.timeout(120_000);
  const work = mkdtempSync(path.join(os.tmpdir(), 'failover-lab-grade-usage-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('refuses what it cannot do with exit code 2 and the fix, never a stack trace', async () => {
    for (const args of [['grade'], ['grade', '--lang', 'fr', 'x.md'], ['grade', '--shard', '0/3', 'x.md'], ['grade', '--jobs', 'many', 'x.md'], ['grade', '--merge']]) {
      const refused = await runCli(args);
      expect(refused.code, `${args.join(' ')}: ${refused.stderr}`).to.equal(2);
      expect(refused.stderr, args.join(' ')).to.match(/^error: /);
      expect(noStackTrace(refused.stderr)).to.equal(true);
    }
  });

  it('gives a missing path its own row and finding, and goes on with the others', async () => {
    const good = prepareCase('good-markdown', expectedCase('good-markdown'), path.join(work, 'good'));
    const graded = await runCli(['grade', '--static-only', path.join(work, 'no-such-homework.md'), good, '--out', path.join(work, 'missing')]);
    expect(graded.code).to.equal(1);
    expect(noStackTrace(graded.stderr)).to.equal(true);
    const rows = parseCsv(readFileSync(path.join(work, 'missing', 'grades.csv'), 'utf8'));
    expect(rows).to.have.length(3);
    const missing = readdirSync(path.join(work, 'missing')).find((entry) => entry.startsWith('no-such-homework'))!;
    const grade = JSON.parse(readFileSync(path.join(work, 'missing', missing, 'grade.json'), 'utf8')) as { verdict: string; findings: { code: string }[] };
    expect(grade.verdict).to.equal('fail');
    expect(grade.findings.map((finding) => finding.code)).to.include('submission-missing');
  });

  it('splits a course into stable, disjoint shards whose merge is the whole course', async () => {
    const course = path.join(work, 'course');
    for (const name of corpusCases()) prepareCase(name, expectedCase(name), path.join(course, name));
    const shards = [1, 2, 3].map((index) => path.join(work, `shard-${index}`));
    for (const [index, dir] of shards.entries()) {
      const shard = await runCli(['grade', '--static-only', '--course', course, '--shard', `${index + 1}/3`, '--out', dir]);
      expect(shard.code, shard.stderr).to.be.oneOf([0, 1]);
    }
    const counts = shards.map((dir) => parseCsv(readFileSync(path.join(dir, 'grades.csv'), 'utf8')).length - 1);
    expect(counts.reduce((sum, count) => sum + count, 0)).to.equal(corpusCases().length);
    const again = await runCli(['grade', '--static-only', '--course', course, '--shard', '2/3', '--out', path.join(work, 'shard-2-again')]);
    expect(again.code).to.be.oneOf([0, 1]);
    expect(readFileSync(path.join(work, 'shard-2-again', 'grades.csv'), 'utf8')).to.equal(readFileSync(path.join(shards[1]!, 'grades.csv'), 'utf8'));
    const merged = await runCli(['grade', '--merge', ...shards, '--out', path.join(work, 'all')]);
    expect(merged.code, merged.stderr).to.equal(1);
    const rows = parseCsv(readFileSync(path.join(work, 'all', 'grades.csv'), 'utf8'));
    expect(rows.length - 1).to.equal(corpusCases().length);
    wellFormedXml(readFileSync(path.join(work, 'all', 'junit.xml'), 'utf8'));
  });
});
