import { expect } from 'chai';
import { staticCriteria } from '../../src/grade/criteria.js';
import { parseIpvsadmLine, servicesFromCommands, type IpvsadmCommand } from '../../src/grade/ipvsadm-commands.js';
import { codeBlocks } from '../../src/grade/markdown-blocks.js';
import { readSubmission } from '../../src/grade/read-submission.js';
import { balancerNamedBy } from '../../src/grade/roles.js';
import { shellSegments } from '../../src/grade/shell-segments.js';
import { gradeStatic } from '../../src/grade/static-stage.js';
import { loadSpec } from '../../src/spec/load.js';
import { seedSpecPath } from '../helpers.js';

const markdown = (text: string) => ({ path: 'hw.md', kind: 'markdown' as const, text });

describe('grader: reading a submission', () => {
  it('finds ``` and ~~~ blocks with and without a language tag, with the .md line of their first line and the prose before them', () => {
    const blocks = codeBlocks(markdown('# Title\n\nBalancer1:\n```\na\n```\ntext\n~~~conf\nb\n~~~\n  ```bash\n  c\n  ```\n````\nd\n```\nstill d\n````\n'));
    expect(blocks.map((block) => [block.firstLine, block.lang, block.lines])).to.deep.equal([
      [5, '', ['a']], [9, 'conf', ['b']], [12, 'bash', ['c']], [15, '', ['d', '```', 'still d']],
    ]);
    expect(blocks[0]!.textBefore).to.deep.equal(['# Title', 'Balancer1:']);
    expect(blocks[1]!.textBefore).to.deep.equal(['text']);
  });

  it('runs an unclosed fence to the end of the file', () => {
    expect(codeBlocks(markdown('```\nx\ny')).map((block) => block.lines)).to.deep.equal([['x', 'y']]);
  });

  it('splits a block at shell prompts and keeps the host they name', () => {
    const [block] = codeBlocks(markdown('```\nroot@Balancer1:/home/vagrant# ipvsadm -Ln\nout1\n[vagrant@lb2 ~]$ sudo cat x\nout2\n# comment, not a prompt\n```'));
    expect(shellSegments(block!).map((segment) => [segment.host, segment.command, segment.lines.map((line) => line.line)])).to.deep.equal([
      ['Balancer1', 'ipvsadm -Ln', [3]],
      ['lb2', 'sudo cat x', [5, 6]],
    ]);
  });

  it('reads ipvsadm set-up lines with sudo, prompts, long options and persistence; not listings', () => {
    const line = (text: string) => parseIpvsadmLine({ text, line: 7 });
    expect(line('sudo ipvsadm -A -t 172.28.128.200:80 -s rr -p 120')).to.deep.include({ action: 'add-service', service: '172.28.128.200:80', scheduler: 'rr', persistence: 120 });
    expect(line('root@lb1:~# ipvsadm --add-server --tcp-service 1.2.3.4:80 --real-server 1.2.3.5:80 --masquerading --weight 3'))
      .to.deep.include({ action: 'add-server', realServer: '1.2.3.5:80', forwarding: 'nat', weight: 3 });
    expect(line('ipvsadm -Ln --stats')).to.equal(undefined);
    const commands = ['ipvsadm -A -t 10.0.0.1:80 -s wrr', 'ipvsadm -a -t 10.0.0.1:80 -r 10.0.0.2 -g', 'ipvsadm -e -t 10.0.0.1:80 -r 10.0.0.2 -g -w 5']
      .map((text) => parseIpvsadmLine({ text, line: 1 })!) as IpvsadmCommand[];
    const [service] = servicesFromCommands(commands, 'x.sh');
    expect(service).to.deep.include({ address: '10.0.0.1', port: 80, scheduler: 'wrr', forwarding: 'dr' });
    expect(service!.realServers).to.deep.equal([{ address: '10.0.0.2', port: 80, forwarding: 'dr', weight: 5, line: 1 }]);
  });

  it('names balancers in English and Russian, and not by interface names or versions', () => {
    const named = (text: string) => balancerNamedBy(text)?.number;
    expect(['Balancer1', 'root@lb-1', 'нода 1', 'Нода №1', 'MASTER', 'мастер', 'Первая нода', 'node01'].map(named)).to.deep.equal([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(['balancer2.conf', 'LB2', 'нода 2 (резервная)', 'BACKUP', 'keepalived-backup.conf', 'Вторая нода'].map(named)).to.deep.equal([2, 2, 2, 2, 2, 2]);
    expect(['interface eth1', 'keepalived 2.2.7', 'ноды 1 и 2', 'node12', 'master and backup'].map(named)).to.deep.equal([undefined, undefined, undefined, undefined, undefined]);
  });

  it('turns a missing path into a finding, not an exception', () => {
    expect(readSubmission('/nonexistent/submission').findings.map((finding) => finding.code)).to.deep.equal(['submission-missing']);
  });
});

describe('grader: static criteria', () => {
  const seed = loadSpec(seedSpecPath);

  it('passes config-valid and roles for the good answer, with the role decisions as evidence', () => {
    const result = gradeStatic(new URL('../../../tests/fixtures/submissions/good-markdown/submission/homework.md', import.meta.url).pathname, seed, 'en');
    const [valid, roles] = staticCriteria(result.findings, result.roles, 'en');
    expect(valid).to.include({ id: 'config-valid', pass: true, points: 2 });
    expect(roles).to.include({ id: 'roles', pass: true, points: 1 });
    expect(roles.evidence.join('\n')).to.match(/balancer1 ← homework\.md:6 \(caption: ### Balancer1; state MASTER, priority 100\)/);
  });

  it('fails roles, not config-valid, for equal priorities; and the other way round for a VRID mismatch', () => {
    const grade = (name: string) => {
      const result = gradeStatic(new URL(`../../../tests/fixtures/submissions/${name}/submission/homework.md`, import.meta.url).pathname, seed, 'ru');
      return staticCriteria(result.findings, result.roles, 'ru').map((criterion) => criterion.pass);
    };
    expect(grade('priority-equal')).to.deep.equal([true, false]);
    expect(grade('vrid-mismatch')).to.deep.equal([false, true]);
  });
});
