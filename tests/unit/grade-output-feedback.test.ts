import { expect } from 'chai';
import { marked } from 'marked';
import { renderFeedback } from '../../src/grade/output/feedback.js';
import { codeBlock, codeSpan, escapeInline } from '../../src/grade/output/markdown-escape.js';
import type { Finding } from '../../src/grade/types.js';
import { criterion, outcome, report } from './grade-output-data.js';

/** Markdown to HTML as a renderer that lets raw HTML through would show it. */
const html = (markdown: string) => marked.parse(markdown, { async: false, gfm: true });

const HOSTILE = [
  '```\n<script>alert(1)</script>\n```',
  'see [here](javascript:alert(1)) and ![x](javascript:alert(2))',
  '<img src=x onerror=alert(3)> <a href="javascript:alert(4)">x</a> &amp; &lt;',
  '**bold** _it_ | table | # not a heading\n# heading\n- list\n> quote',
  '`` ` ``` \u001b[31mred\u0000',
].join(' ');

function hostileOutcome(labSkipped?: string) {
  const finding: Finding = { severity: 'error', code: 'vrid-mismatch', file: 'dz`3.8`.md', line: 12, message: `virtual_router_id "${HOSTILE}"`, hint: HOSTILE };
  const note: Finding = { severity: 'info', code: 'role-assigned', file: 'README.md', line: 3, message: HOSTILE, hint: 'nothing to do' };
  const rep = report(HOSTILE, ['failover'], { findings: [finding, note] });
  rep.criteria = rep.criteria.map((each) => (each.id === 'failover' ? criterion('failover', false, { message: HOSTILE, hint: HOSTILE, evidence: [`dz.md:12 ${HOSTILE}`] }) : each));
  return outcome(rep, {
    roles: [`balancer1 ← ${HOSTILE}`],
    ipvsStats: [{ title: HOSTILE, text: `TCP 172.28.128.200:80\n${HOSTILE}\n\`\`\`\`\n# injected` }],
    nodeLogs: [{ node: '<b>balancer2</b>', lines: ['````', HOSTILE] }],
    scenarioSummary: HOSTILE,
    ...(labSkipped !== undefined ? { labSkipped } : {}),
  });
}

describe('grade output: feedback.md', () => {
  it('tells the student, in English, what passed, what failed, where and what to change, with the seed-style IPVS tables', () => {
    const markdown = renderFeedback(outcome(report('ivanov/README.md', ['balanced'])), 'en');
    expect(markdown).to.match(/^# Homework 3\.8: NOT PASSED — 10 of 12 points\n/);
    expect(markdown).to.include('- ✅ **title of failover** (+2): fine');
    expect(markdown).to.include('- ❌ **title of balanced**: balanced failed\n  - What to change: fix balanced\n  - Where: `README.md:12 vrid-mismatch`');
    expect(markdown).to.include('## Which config is which balancer\n\n- balancer1 ← README.md:20 \\(caption: Balancer1; state MASTER, priority 100\\)');
    expect(markdown).to.include('```text\nIP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port');
    expect(markdown).to.include('TCP  172.28.128.200:80                  26       75');
    expect(html(markdown)).to.include('<pre><code class="language-text">IP Virtual Server');
    // The run's own verdict may say FAIL under a passed grade (the balance after the revert): said above it.
    expect(markdown).to.include("### Failover run\n\nThe run's own checks, as `lab:failover` judges them. The criteria above rest on them, but for the balance after the revert");
    expect(renderFeedback(outcome(report('ivanov/README.md', ['balanced'])), 'ru')).to.include('### Проверка переключения\n\nСобственные проверки прогона (на английском)');
  });

  it('says it in Russian, with criteria not judged and the reason the lab was skipped', () => {
    const rep = report('petrov.md', ['config-valid'], { findings: [{ severity: 'error', code: 'vrid-mismatch', file: 'petrov.md', line: 40, message: 'virtual_router_id различается', hint: 'укажите одинаковый virtual_router_id' }] }, ['config-valid', 'roles']);
    const markdown = renderFeedback(outcome(rep, { ipvsStats: [], nodeLogs: [], scenarioSummary: undefined, labSkipped: 'конфигурации содержат ошибки' }), 'ru');
    expect(markdown).to.match(/^# Домашнее задание 3\.8: НЕ ЗАЧТЕНО — 1 из 12 баллов\n/);
    expect(markdown).to.include('- ⏭ **VIP отвечает по HTTP через IPVS** — не проверялось: конфигурации содержат ошибки');
    expect(markdown).to.include('## Что исправить в ваших файлах\n\n- `petrov.md:40` virtual\\_router\\_id различается\n  - исправление: укажите одинаковый virtual\\_router\\_id');
    expect(markdown).to.include('## Стенд\n\nСтенд не запускался: конфигурации содержат ошибки');
    for (const english of ['What to change', 'Criteria', 'The lab', 'points', 'not checked']) expect(markdown).not.to.include(english);
  });

  it('a static-only grade says the lab was not run, never that it works', () => {
    const rep = { ...report('ivanov.md', [], {}, ['config-valid', 'roles']), stage: 'static' as const };
    for (const lang of ['en', 'ru'] as const) {
      const markdown = renderFeedback(outcome(rep, { ipvsStats: [], nodeLogs: [], scenarioSummary: undefined, labSkipped: '--static-only' }), lang);
      expect(markdown).to.match(lang === 'en' ? /The static checks found nothing wrong .*The lab was not run/ : /Статическая проверка не нашла ошибок.*Стенд не запускался/);
      expect(markdown).not.to.match(/works and fails over|работает и переключается/);
    }
  });

  for (const lang of ['en', 'ru'] as const) {
    it(`keeps hostile student text as text (${lang}): no HTML, no links, no broken-out code blocks`, () => {
      const markdown = renderFeedback(hostileOutcome('<script>alert(5)</script>'), lang);
      const rendered = html(markdown);
      expect(rendered).not.to.match(/<script|<img|<a[\s>]|<b>|<h[1-6][^>]*>\s*(heading|injected|not a heading)|<blockquote|<table|<strong>bold/i);
      expect(rendered).not.to.include('javascript:alert(1)"'); // never an attribute
      expect(rendered).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
      // The scenario, one IPVS table and one log: exactly three code blocks, whatever backticks they hold.
      expect(rendered.match(/<pre>/g)).to.have.length(3);
      expect(markdown).not.to.include('\u001b');
      expect(markdown).to.include('␛[31mred␀');
    });
  }

  describe('escaping helpers', () => {
    it('escapeInline: entities for & < >, backslashes for markup, one line', () => {
      expect(escapeInline('a <b> & [c](d) *e* `f`\n# g')).to.equal('a &lt;b&gt; &amp; \\[c\\]\\(d\\) \\*e\\* \\`f\\` # g');
      expect(escapeInline('1. item')).to.equal('1\\. item');
      expect(escapeInline('- item')).to.equal('\\- item');
    });

    it('codeSpan and codeBlock: a fence longer than any backtick run inside', () => {
      expect(codeSpan('a ``b`` c')).to.equal('```a ``b`` c```');
      expect(codeSpan('`x')).to.equal('`` `x ``');
      expect(codeBlock('x\n````\ny')).to.equal('`````text\nx\n````\ny\n`````');
    });
  });
});
