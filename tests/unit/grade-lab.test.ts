import { expect } from 'chai';
import path from 'node:path';
import { ownFaults } from '../../src/checks/own-faults.js';
import { gradeFromResults } from '../../src/grade/grade-from-results.js';
import { gradingScenario, labSpecFromSubmission } from '../../src/grade/lab-spec.js';
import type { LabStageResult } from '../../src/grade/lab-stage.js';
import { gradedRun, reviewFirstRun } from '../../src/grade/second-run.js';
import { gradeStatic } from '../../src/grade/static-stage.js';
import { labPaths } from '../../src/lab/state.js';
import { renderNodeFiles } from '../../src/render/bundle.js';
import { seedScenario } from '../../src/scenario/run.js';
import type { ScenarioResult } from '../../src/scenario/timeline.js';
import { loadSpec } from '../../src/spec/load.js';
import { balancers, backends, findNode, managementInterface } from '../../src/spec/types.js';
import { sandboxPlan } from '../../src/uml/plan.js';
import { fixture, repoRoot, seedSpecPath } from '../helpers.js';

const seed = loadSpec(seedSpecPath);
const submission = (name: string) => path.join(repoRoot, 'tests', 'fixtures', 'submissions', name, 'submission');
const derive = (name: string) => labSpecFromSubmission(seed, gradeStatic(submission(name), seed), `gl-${name}`);
const recorded = (): ScenarioResult => JSON.parse(fixture('failover-result-seed-uml.json')) as ScenarioResult;
const ran = (scenario: ScenarioResult): LabStageResult => ({ kind: 'ran', scenario, notes: [] });
const byId = (report: ReturnType<typeof gradeFromResults>) => Object.fromEntries(report.criteria.map((criterion) => [criterion.id, criterion]));

describe('grader lab stage: the lab spec derived from a submission', () => {
  it('the seed answer: the seed topology, each balancer\'s keepalived.conf as the student wrote it, IPVS rebuilt from the listing', () => {
    const { spec, notes, plan } = derive('seed-answer');
    // The seed's scenario at half its rate (a grader's lab has one CPU), its phases from the VRRP
    // timing: fault at 4 s; revert after the first SYN retry past the takeover bound 4.11 s (7 s) + 3 s;
    // 2 s of answers after the failback bound 4.11 s.
    expect(plan).to.deep.equal({ ...seedScenario, rate: 100, faultAt: 4, revertAt: 14, durationSeconds: 21 });
    expect(spec.name).to.equal('gl-seed-answer');
    expect(spec.vip).to.deep.equal(seed.vip);
    expect(spec.lab).to.deep.equal(seed.lab);
    expect(spec.nodes.map((node) => [node.name, node.address])).to.deep.equal(seed.nodes.map((node) => [node.name, node.address]));
    expect(balancers(spec).map((node) => node.vrrp)).to.deep.equal([{ state: 'MASTER', priority: 100 }, { state: 'BACKUP', priority: 50 }]);
    const one = renderNodeFiles(spec, findNode(spec, 'balancer1')!);
    expect(one['keepalived.conf']).to.include('auth_pass netology_secret').and.include('state MASTER').and.include('vrrp_script chk_nginx');
    expect(renderNodeFiles(spec, findNode(spec, 'balancer2')!)['keepalived.conf']).to.match(/^vrrp_instance VI_1 \{/); // balancer2's own order: the script after the instance
    expect(spec.service.ipvs).to.equal('rules');
    expect(one['ipvs.rules']).to.equal('-A -t 172.28.128.200:80 -s rr\n-a -t 172.28.128.200:80 -r 172.28.128.100:80 -g -w 1\n-a -t 172.28.128.200:80 -r 172.28.128.110:80 -g -w 1\n');
    expect(notes.join('\n')).to.include('ipvsadm -Ln listing');
    expect(managementInterface(spec)).to.equal('eth0');
  });

  it('a longer advert_int gets longer phases: the takeover and failback bounds come from the submission\'s VRRP', () => {
    const { spec } = derive('seed-answer');
    const slow = gradingScenario({ ...spec, vrrp: { ...spec.vrrp, advertInt: 2 } });
    // Takeover bound 3 × 2 + skew(50) × 2 + 0.5 = 8.11 s, its first SYN retry at 15 s; failback bound 3 × 2 + skew(100) × 2 + 0.5 = 7.72 s.
    expect(slow).to.include({ faultAt: 4, revertAt: 4 + 18, durationSeconds: 22 + 10 });
  });

  it('a 10.x submission on eth0: its addresses and interface; SSH moves to mgmt0 and the management network stays clear of it', () => {
    const { spec, notes } = derive('topology-10x-eth0');
    expect(spec.lab).to.deep.equal({ subnet: '10.0.0.0', prefix: 24, client: '10.0.0.1', interface: 'eth0' });
    expect(spec.vip.address).to.equal('10.0.0.200');
    expect(balancers(spec).map((node) => node.address)).to.deep.equal(['10.0.0.11', '10.0.0.12']);
    expect(backends(spec).map((node) => node.address)).to.deep.equal(['10.0.0.21', '10.0.0.22']);
    expect(managementInterface(spec)).to.equal('mgmt0');
    expect(spec.management.subnet).to.not.match(/^10\.0\.0\./);
    const plan = sandboxPlan({ spec, paths: labPaths(spec.name, '/tmp/gl-unit'), boxImage: '/tmp/box.img', publicKeyBlob: 'KEY', hostKeys: new Map() });
    expect(plan.nodes[0]!.args).to.include(`lab.if=mgmt0/vec0/${plan.nodes[0]!.managementAddress}/24`).and.include('lab.if=eth0/vec1/10.0.0.11/24');
    expect(notes.join('\n')).to.include('mgmt0');
    expect(renderNodeFiles(spec, findNode(spec, 'balancer1')!)['ipvs.rules']).to.include('-r 10.0.0.21:80 -g -w 1');
  });

  it('virtual_server blocks: keepalived manages IPVS and the lab applies no ipvsadm rules (never both)', () => {
    const { spec, notes, plan } = derive('virtual-server-folder');
    expect(spec.service.ipvs).to.equal('keepalived');
    // The returning master's checkers re-add the real servers within delay_loop 6 + connect_timeout 3 s:
    // the load runs that long after the revert, plus 2 s of answers (the seed's 8 s are too short).
    expect(plan).to.include({ revertAt: 14, durationSeconds: 14 + 11 });
    expect(notes.join('\n')).to.include('delay_loop + connect_timeout = 9 s');
    for (const node of balancers(spec)) {
      const files = renderNodeFiles(spec, node);
      expect(files['ipvs.rules']).to.equal('');
      expect(files['keepalived.conf']).to.include('virtual_server 172.28.128.200 80');
    }
    expect(notes.join('\n')).to.include('virtual_server');
  });

  it('ipvsadm commands: the rules are the student\'s, edits included (-e -w 2)', () => {
    const { spec, notes } = derive('ipvsadm-commands');
    expect(renderNodeFiles(spec, findNode(spec, 'balancer2')!)['ipvs.rules']).to.equal(
      '-A -t 172.28.128.200:80 -s rr\n-a -t 172.28.128.200:80 -r 172.28.128.100:80 -g -w 1\n-a -t 172.28.128.200:80 -r 172.28.128.110:80 -g -w 2\n',
    );
    expect(notes.join('\n')).to.include('ipvsadm commands');
  });

  it('the seed spec itself still renders the seed\'s config and rules', () => {
    const files = renderNodeFiles(seed, findNode(seed, 'balancer1')!);
    expect(files['keepalived.conf']).to.include('virtual_router_id 33');
    expect(files['ipvs.rules']).to.include('-A -t 172.28.128.200:80 -s rr');
  });
});

describe('grader lab stage: gradeFromResults on recorded runs', () => {
  const seedStatic = gradeStatic(submission('seed-answer'), seed);

  it('the recorded real seed run: pass, every criterion, full score', () => {
    const report = gradeFromResults({ submission: 'seed-answer', static: seedStatic, lab: ran(recorded()) }, 'en');
    expect(report.criteria.filter((criterion) => !criterion.pass).map((criterion) => `${criterion.id}: ${criterion.message}`)).to.deep.equal([]);
    expect(report.criteria.map((criterion) => criterion.id)).to.deep.equal(['config-valid', 'roles', 'vip-serves', 'balanced', 'failover', 'no-split-brain', 'failback']);
    expect(report).to.include({ verdict: 'pass', score: 12, maxScore: 12 });
    expect(byId(report)['vip-serves']!.message).to.match(/backend1 \d+, backend2 \d+/);
  });

  it('a director answering the VIP itself (its own nginx page) fails vip-serves, naming it', () => {
    const result = recorded();
    let changed = 0;
    for (const event of result.events) if (event.kind === 'response' && changed < 5 && event.t > result.startedAt) (event.backend = 'balancer1'), changed++;
    const report = gradeFromResults({ submission: 's', static: seedStatic, lab: ran(result) }, 'en');
    expect(byId(report)['vip-serves']).to.include({ pass: false, points: 0 });
    expect(byId(report)['vip-serves']!.message).to.include('balancer1 5');
    expect(report.verdict).to.equal('fail');
  });

  it('a backup that never takes the VIP fails failover (and only the criteria that rest on it)', () => {
    const result = recorded();
    result.events = result.events.filter((event) => !(event.kind === 'vip' && event.node === 'balancer2'));
    const criteria = byId(gradeFromResults({ submission: 's', static: seedStatic, lab: ran(result) }, 'en'));
    expect(criteria.failover!.pass).to.equal(false);
    expect(criteria.failover!.message).to.include('never took the VIP');
    expect(criteria['config-valid']!.pass && criteria.roles!.pass && criteria['vip-serves']!.pass).to.equal(true);
  });

  it('balancers that go to FAULT by themselves (a busy track_script): the failing criteria name when, and the hint says why', () => {
    const busy = JSON.parse(fixture('failover-result-hostile-busy-uml.json')) as ScenarioResult;
    expect(ownFaults(busy)).to.deep.equal([{ node: 'balancer1', at: 6.059 }, { node: 'balancer2', at: 6.151 }, { node: 'balancer2', at: 16.047 }]);
    expect(ownFaults(recorded()), 'the seed run: FAULT only on the faulted link').to.deep.equal([]);
    const hostile = gradeStatic(submission('hostile-busy'), seed);
    for (const lang of ['en', 'ru'] as const) {
      const criteria = gradeFromResults({ submission: 'hostile-busy', static: hostile, lab: ran(busy) }, lang).criteria;
      const failing = criteria.filter((criterion) => !criterion.pass);
      expect(failing.map((criterion) => criterion.id), lang).to.deep.equal(['failback']);
      expect(failing[0]!.hint, lang).to.include('track_script');
      expect(failing[0]!.evidence.slice(0, 3), lang).to.deep.equal(
        lang === 'en'
          ? ['balancer1 went to FAULT 6.06 s after the load started, with no fault of the lab\'s on it', 'balancer2 went to FAULT 6.15 s after the load started, with no fault of the lab\'s on it', 'balancer2 went to FAULT 16.05 s after the load started, with no fault of the lab\'s on it']
          : ['balancer1 перешёл в FAULT через 6,06 с после начала нагрузки, хотя стенд его не трогал', 'balancer2 перешёл в FAULT через 6,15 с после начала нагрузки, хотя стенд его не трогал', 'balancer2 перешёл в FAULT через 16,05 с после начала нагрузки, хотя стенд его не трогал'],
      );
      for (const passing of criteria.filter((criterion) => criterion.pass)) expect(passing.evidence.join('\n'), passing.id).not.to.include('FAULT');
    }
  });

  it('in Russian, the lab criteria speak Russian with the run\'s own figures, passing and failing', () => {
    const passing = byId(gradeFromResults({ submission: 's', static: seedStatic, lab: ran(recorded()) }, 'ru'));
    const latin = /\b(the|took|after|never|answers|held|within|bound)\b/;
    for (const id of ['balanced', 'failover', 'no-split-brain', 'failback', 'vip-serves']) {
      expect(passing[id]!.message, id).to.match(/[а-я]{3}/).and.not.to.match(latin);
    }
    expect(passing.failover!.message).to.match(/balancer2 забрал VIP через \d+,\d\d с после отказа \(по VRRP 2,80 с–3,80 с, граница 4,30 с\)/);
    expect(passing.balanced!.message).to.match(/^нагрузка распределена поровну — клиент до отказа: backend1 \d+, backend2 \d+ \(норма\)/);
    expect(passing.failback!.message).to.match(/balancer1 забрал VIP обратно через 3,\d\d с .*; после этого \d+ ответов/);
    const result = recorded();
    result.events = result.events.filter((event) => !(event.kind === 'vip' && event.node === 'balancer2'));
    const failing = byId(gradeFromResults({ submission: 's', static: seedStatic, lab: ran(result) }, 'ru'));
    expect(failing.failover!.pass).to.equal(false);
    expect(failing.failover!.message).to.include('balancer2 так и не забрал VIP после отказа');
    // The checks' own English reasons stay in the evidence.
    expect(failing.failover!.evidence.join('\n')).to.include('never took the VIP');
  });

  it('keepalived -t refusing a config: its messages become findings at the student\'s line, config-valid and the lab criteria fail', () => {
    const lab: LabStageResult = { kind: 'rejected', node: 'balancer1', notes: [], findings: [{ code: 'keepalived-error', file: 'homework.md', line: 24, params: { text: "Unknown keyword 'priorty'" } }] };
    const report = gradeFromResults({ submission: 's', static: seedStatic, lab }, 'ru');
    expect(report.verdict).to.equal('fail');
    expect(report.findings.find((finding) => finding.code === 'keepalived-error')).to.include({ line: 24, severity: 'error' });
    const criteria = byId(report);
    expect(criteria['config-valid']!.pass).to.equal(false);
    expect(criteria['vip-serves']!.message).to.include('keepalived отверг конфигурацию balancer1');
    expect(criteria['vip-serves']!.evidence[0]).to.equal("homework.md:24 keepalived -t: Unknown keyword 'priorty'");
    expect(report.score).to.equal(1); // roles only
  });

  it('a lab that did not come up: fail with the nodes\' log lines as evidence; a machine failure is an error verdict', () => {
    const failed: LabStageResult = { kind: 'failed', code: 'VIP_NOT_SERVING', message: 'the VIP 172.28.128.200:80 did not serve a backend\'s page within 30 s (last: HTTP 200: balancer1)', notes: [], nodeLogs: [{ node: 'balancer1', source: 'journal', lines: ['VRRP_Script(chk_nginx) failed'] }] };
    const report = gradeFromResults({ submission: 's', static: seedStatic, lab: failed }, 'en');
    expect(report.verdict).to.equal('fail');
    expect(byId(report)['vip-serves']!.evidence.join('\n')).to.include('HTTP 200: balancer1').and.include('balancer1 (journal): VRRP_Script(chk_nginx) failed');
    expect(gradeFromResults({ submission: 's', static: seedStatic, lab: { ...failed, code: 'NODE_TIMEOUT' } }, 'en').verdict).to.equal('error');
  });

  it('a timeout is an error verdict; a skipped lab fails the lab criteria with the reason; weights set points and titles', () => {
    const timedOut = gradeFromResults({ submission: 's', static: seedStatic, lab: { error: 'timed out after 1 s' } }, 'en');
    expect(timedOut.verdict).to.equal('error');
    expect(byId(timedOut).failover!.message).to.include('timed out after 1 s');
    const skipped = gradeFromResults({ submission: 's', static: seedStatic, lab: { kind: 'skipped', reason: 'static errors' } }, 'en');
    expect(skipped).to.include({ verdict: 'fail', score: 3 });
    const weighted = gradeFromResults({ submission: 's', static: seedStatic, lab: ran(recorded()) }, 'en', { failover: { points: 10, title: 'Failover' } });
    expect(weighted).to.include({ score: 20, maxScore: 20 });
    expect(byId(weighted).failover).to.include({ title: 'Failover', points: 10 });
  });
});

describe('grader lab stage: a second scenario run when the first failed or its balancers went to FAULT by themselves', () => {
  const busy = (): ScenarioResult => JSON.parse(fixture('failover-result-hostile-busy-uml.json')) as ScenarioResult;
  const noTakeover = (): ScenarioResult => {
    const result = recorded();
    result.events = result.events.filter((event) => !(event.kind === 'vip' && event.node === 'balancer2'));
    return result;
  };

  it('a clean passing run is not run again', () => {
    expect(reviewFirstRun(recorded())).to.deep.equal({});
  });

  it('names the failing criteria and the FAULTs that call for it', () => {
    expect(reviewFirstRun(noTakeover()).runAgain).to.match(/^in a first run of the scenario balanced, failover failed \(The load stays balanced over both backends in every phase: /);
    expect(reviewFirstRun(busy()).runAgain).to.match(/^in a first run of the scenario the balancers went to FAULT by themselves \(balancer1 at 6\.06 s, balancer2 at 6\.15 s, balancer2 at 16\.05 s\), as a busy host can make them; and failback failed \(/);
  });

  it('does not run again for a criterion the static stage foresaw failing (a persistent service: balanced), and says so', () => {
    expect(derive('persistence-timeout').foreseen).to.deep.equal([{ criterion: 'balanced', why: 'a persistent service sends one client to one backend' }]);
    expect(derive('seed-answer').foreseen).to.deep.equal([]);
    // The recorded seed run as a persistent service makes it: every answer from one backend.
    const persistent = recorded();
    persistent.events = persistent.events.map((event) => (event.kind === 'response' ? { ...event, backend: 'backend1' } : event));
    const foreseen = derive('persistence-timeout').foreseen;
    expect(reviewFirstRun(persistent).runAgain).to.match(/^in a first run of the scenario balanced failed \(/);
    expect(reviewFirstRun(persistent, foreseen)).to.deep.equal({ foreseenNote: 'balanced failed as the static stage foresaw (a persistent service sends one client to one backend)' });
    // Any other failure still calls for a second run.
    const alsoNoTakeover = noTakeover();
    expect(reviewFirstRun(alsoNoTakeover, foreseen).runAgain).to.match(/^in a first run of the scenario failover failed \(/);
    expect(reviewFirstRun(recorded(), foreseen)).to.deep.equal({});
  });

  it('grades the run that met more criteria, the second on a tie, and says which', () => {
    const recovered = gradedRun(noTakeover(), recorded());
    expect(recovered.run).to.equal('second');
    expect(recovered.note).to.match(/: the scenario ran once more, where every lab criterion passed; the grade is the second run's$/);
    const worse = gradedRun(busy(), noTakeover());
    expect(worse.run).to.equal('first');
    expect(worse.note).to.match(/where .*failover.* failed; the grade is the first run's, which met more criteria$/);
    const again = gradedRun(busy(), busy());
    expect(again.run).to.equal('second');
    expect(again.note).to.include('the scenario ran once more (its balancers went to FAULT by themselves again), where failback failed');
  });
});
