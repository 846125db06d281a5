import { expect } from 'chai';
import { findingsFromKeepalivedCheck } from '../../src/grade/keepalived-check-output.js';
import { describeFinding } from '../../src/grade/messages.js';
import { fixture } from '../helpers.js';

/** The recorded configs were checked as /tmp/t.conf; here they sit in a markdown block from line 20. */
const checked = { nodePath: '/tmp/t.conf', file: 'homework.md', firstLine: 20 };
const summary = (name: string) => findingsFromKeepalivedCheck(fixture(`keepalived-t/${name}.out`), checked).map((finding) => `${finding.line ?? '-'} ${finding.code}`);

describe('grader: keepalived -t messages', () => {
  it("maps the seed's config: auth_pass truncation is a warning, the scripts SECURITY VIOLATION only a note (exit code 6 is no verdict)", () => {
    expect(summary('seed-balancer1')).to.deep.equal(['33 keepalived-warning', '- keepalived-note']);
  });

  it('reports a track_script defined after its instance as a warning at its line', () => {
    expect(summary('seed-balancer2')).to.deep.equal(['28 keepalived-warning', '34 keepalived-warning', '- keepalived-note']);
  });

  it('puts unknown keywords at the block line + offset, once each although keepalived prints them per process', () => {
    const findings = findingsFromKeepalivedCheck(fixture('keepalived-t/unknown-keyword.out'), checked);
    expect(findings.map((finding) => `${finding.line ?? '-'} ${finding.params?.text}`)).to.deep.equal([
      "26 Unknown keyword 'virtual_ipadress'",
      "26 Unexpected '{' - ignoring",
      "27 Unknown keyword '172.28.128.200/24'",
      "29 Unknown keyword 'foo'",
      "30 Unknown keyword '}'",
      '- (VI_1) No VIP specified; at least one is sensible',
    ]);
    expect(findings.every((finding) => finding.code === 'keepalived-error')).to.equal(true);
  });

  it('merges "(Line N)" and "(file: Line N)" forms of the same message', () => {
    expect(summary('extra-brace')).to.deep.equal(['29 keepalived-error', '29 keepalived-error']);
    expect(summary('missing-brace')).to.deep.equal(['- keepalived-error']);
  });

  it('maps invalid values and the unfilled template to errors', () => {
    expect(summary('bad-values').filter((line) => line.endsWith('error'))).to.have.length(9);
    expect(summary('template-unfilled')).to.include('21 keepalived-error');
  });

  it('reports a message about an included file without a line in the student\'s file', () => {
    const findings = findingsFromKeepalivedCheck("(/etc/keepalived/other.conf: Line 3) Unknown keyword 'x'", checked);
    expect(findings).to.deep.equal([{ code: 'keepalived-error', file: 'homework.md', params: { text: "/etc/keepalived/other.conf: Unknown keyword 'x'" } }]);
  });

  it('words the findings in both languages', () => {
    const [finding] = findingsFromKeepalivedCheck(fixture('keepalived-t/include-unicast.out'), checked);
    expect(describeFinding(finding!, 'en')).to.include({ severity: 'warning', line: 20 });
    expect(describeFinding(finding!, 'ru').hint).to.match(/keepalived примет файл/);
  });
});
