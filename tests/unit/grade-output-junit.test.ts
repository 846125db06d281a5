import { expect } from 'chai';
import { SaxesParser } from 'saxes';
import { renderJunit } from '../../src/grade/output/junit.js';
import { criterion, report } from './grade-output-data.js';

interface Element { name: string; attributes: Record<string, string>; text: string; children: Element[] }

/** Parses with a strict XML 1.0 parser (it rejects forbidden characters) into a small tree. */
function parseXml(xml: string): Element {
  const parser = new SaxesParser({ xmlns: false });
  const root: Element = { name: '#document', attributes: {}, text: '', children: [] };
  const stack = [root];
  parser.on('error', (error) => { throw error; });
  parser.on('opentag', (tag) => {
    const element: Element = { name: tag.name, attributes: tag.attributes as Record<string, string>, text: '', children: [] };
    stack.at(-1)!.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => { stack.at(-1)!.text += text; });
  parser.on('closetag', () => { stack.pop(); });
  parser.write(xml).close();
  return root.children[0]!;
}

const all = (element: Element, name: string): Element[] => [
  ...element.children.filter((child) => child.name === name),
  ...element.children.flatMap((child) => all(child, name)),
];

describe('grade output: junit.xml', () => {
  it('a testsuite per submission, a testcase per criterion, score in properties', () => {
    const tree = parseXml(renderJunit([report('alice.md', ['failover']), report('bob.md')]));
    expect(tree.name).to.equal('testsuites');
    expect(tree.attributes).to.include({ tests: '14', failures: '1', errors: '0' });
    const [alice] = all(tree, 'testsuite');
    expect(alice!.attributes).to.include({ name: 'alice.md', tests: '7', failures: '1' });
    expect(all(alice!, 'testcase')).to.have.length(7);
    const properties = Object.fromEntries(all(alice!, 'property').map((p) => [p.attributes.name, p.attributes.value]));
    expect(properties).to.deep.equal({ verdict: 'fail', score: '10', maxScore: '12' });
    const [failure] = all(alice!, 'failure');
    expect(failure!.attributes.message).to.equal('failover failed — fix: fix failover');
    expect(failure!.text).to.include('README.md:12 vrid-mismatch');
  });

  it('a grader error is an <error> testcase; criteria not judged are skipped', () => {
    const tree = parseXml(renderJunit([report('carol.md', [], { verdict: 'error' }, ['config-valid'])]));
    expect(all(tree, 'error')).to.have.length(1);
    expect(all(tree, 'skipped')).to.have.length(6);
    expect(tree.attributes).to.include({ errors: '1', tests: '8' });
  });

  it('stays well-formed with <, &, ]]>, quotes, line breaks and control characters in student text', () => {
    const hostile = 'a < b && c ]]> "d" \'e\'\n\tf \u0000\u0001\u001b[31m \ufffe \ud800 end';
    const rep = report('<evil> & "co" ]]>\u0007.md', [], { verdict: 'error', findings: [{ severity: 'error', code: 'x', file: 'f<1>.md', line: 3, message: hostile, hint: hostile }] });
    rep.criteria = [criterion('config-valid', false, { message: hostile, hint: hostile, evidence: [hostile], title: hostile })];
    const xml = renderJunit([rep]);
    const tree = parseXml(xml);
    const [suite] = all(tree, 'testsuite');
    expect(suite!.attributes.name).to.equal('<evil> & "co" ]]>\\u0007.md');
    const [failure] = all(tree, 'failure');
    // Attribute line breaks and tabs survive as character references; forbidden characters are shown as \uXXXX.
    expect(failure!.attributes.message).to.include('a < b && c ]]> "d" \'e\'\n\tf \\u0000\\u0001\\u001b[31m \\ufffe \\ud800 end');
    expect(failure!.text).to.include('a < b && c ]]>');
    expect(all(tree, 'error')[0]!.text).to.include('f<1>.md:3 x:');
  });
});
