import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFaultIndex } from '../../src/report/fault-index.js';
import { loadReportAssets } from '../../src/report/html/assets.js';
import { chartData } from '../../src/report/html/chart-data.js';
import { jsonForScript } from '../../src/report/html/escape.js';
import { renderRunReport } from '../../src/report/html/run-report.js';
import { writeRunReport } from '../../src/report/write.js';
import { LabError } from '../../src/errors.js';
import { hostile, hostileRunRecord, recordedRunRecord, resultDir, tempReportsDir } from '../report-fixtures.js';

/** The page without the contents of its script and style elements: what the HTML parser sees as markup. */
const markupOnly = (html: string) => html.replace(/(<script[^>]*>)[\s\S]*?(<\/script>)/g, '$1$2').replace(/(<style[^>]*>)[\s\S]*?(<\/style>)/g, '$1$2');

describe('report.html of a run (rendered from the recorded seed run)', () => {
  const record = recordedRunRecord();
  const assets = loadReportAssets();
  const html = renderRunReport(record, assets);

  it('is one self-contained page: uPlot and the chart script inlined, nothing loaded from outside', () => {
    expect(html).to.include(assets.uplotJs.slice(0, 200)).and.to.include('.uplot');
    expect(html).to.include('id="chart"').and.to.include('<script type="application/json" id="chart-data">');
    const markup = markupOnly(html);
    expect(markup).not.to.match(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(markup).not.to.match(/<(link|iframe|img|object|embed)\b/i);
    expect(markup).not.to.match(/@import|url\(/i);
    expect(html).to.include("default-src 'none'"); // and the browser refuses any fetch the page might still try
  });

  it('shows the verdict, the figures, every check with its reason, and both balancers\' ipvsadm tables', () => {
    expect(html).to.include('<span class="pass">PASS</span> (6/6 checks)');
    expect(html).to.match(/failover time[^<]*<\/th><td>3\.20 s/);
    // As text: & < > and both quotes as entities.
    const asText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    for (const check of record.checks) expect(html).to.include(asText(check.reason));
    expect(html).to.include('balancer2, before the fault').and.to.match(/TCP +172\.28\.128\.200:80 +0 +0 +0 +0 +0\n/);
  });

  it('embeds chart data: 1 s buckets from the load start, answers/s per backend, failures, VIP holders, states, fault markers', () => {
    const data = chartData(record);
    expect(data.range.from).to.equal(0);
    expect(data.range.to).to.be.closeTo(24, 0.5);
    expect(data.series.map((series) => series.label)).to.deep.equal(['backend1 answers/s', 'backend2 answers/s', 'failed requests/s']);
    // Rates back to counts: the last bucket ends with the load at 24.34 s, so it is 0.34 s wide.
    const width = (i: number) => Math.min(data.bucketSeconds, data.range.to - data.range.from - i * data.bucketSeconds);
    const total = (series: number) => (data.series[series]?.values ?? []).reduce((sum, rate, i) => sum + rate * width(i), 0);
    expect(total(0) + total(1)).to.be.closeTo(record.load.answered, 1e-6);
    expect(total(2)).to.be.closeTo(record.load.failed, 1e-6);
    expect(data.x.at(-1)).to.be.closeTo(24 + 0.34 / 2, 0.01);
    expect(data.vipHolders.map((span) => span.holders.join('+'))).to.deep.equal(['balancer1', '', 'balancer2', 'balancer1+balancer2', 'balancer1']);
    expect(data.vrrpStates.filter((span) => span.node === 'balancer1').map((span) => span.state)).to.deep.equal(['MASTER', 'FAULT', 'BACKUP', 'MASTER']);
    expect(data.faults.map((fault) => [fault.action, fault.t])).to.deep.equal([['inject', 6.202], ['revert', 14.175]]);
    const embedded = /<script type="application\/json" id="chart-data">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
    expect(JSON.parse(embedded)).to.deep.equal(data);
  });

  it('escapes hostile text from the lab, the spec and the checks: no raw tag, and the JSON cannot end its script element', () => {
    const page = renderRunReport(hostileRunRecord(), assets);
    expect(page).not.to.include('<script>alert(1)');
    expect(page).not.to.include('<img src=x');
    expect(page).not.to.include('</pre></script>');
    expect(page).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The only </script> tags are those that close the page's own three scripts.
    expect(page.match(/<\/script>/g)).to.have.length(3);
    const embedded = /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
    expect((JSON.parse(embedded) as { balancers: string[] }).balancers).to.include(`balancer1${hostile}`);
    expect(jsonForScript({ text: '</script><!--' })).to.equal('{"text":"\\u003c/script>\\u003c!--"}');
  });

  it('is written beside result.json and summary.md by writeRunReport', () => {
    const dir = writeRunReport(record, record.checks, record.measures, '# summary\n', path.join(tempReportsDir(), record.runId));
    for (const file of ['result.json', 'summary.md', 'report.html']) expect(existsSync(path.join(dir, file)), file).to.equal(true);
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).to.equal(html);
  });
});

describe('the fault index (index.html and summary.md of --fault all)', () => {
  it('has one row per run from its result.json alone: fault, failover, outage, failed requests, transitions, verdict, link', () => {
    const reports = tempReportsDir();
    const recorded = recordedRunRecord();
    const linkDown = resultDir(reports, 'run-link-down', recorded);
    // A run as the fault catalogue may write it: its own fault record, a failing check, no failover.
    const partition = resultDir(reports, 'run two', {
      ...recorded,
      runId: 'run two',
      fault: { name: 'vrrp-partition <b>', variant: 'nft', extra: [1, 2] },
      measures: { ...recorded.measures, failoverSeconds: undefined, outageSeconds: 0.25 },
      checks: recorded.checks.map((check) => (check.id === 'split-brain' ? { ...check, pass: false } : check)),
      load: { ...recorded.load, failed: 0 },
      unknownField: { nested: true },
    });
    // A fault record of a shape the index does not know: the inject event names the fault.
    const stop = resultDir(reports, 'run-3', { ...recorded, runId: 'run-3', fault: { variant: 'graceful' }, measures: { ...recorded.measures, failoverSeconds: null } });
    // A run whose split-brain FAIL is what its fault makes: as expected, and the index says which.
    const kill = resultDir(reports, 'run-4', {
      ...recorded,
      runId: 'run-4',
      fault: { name: 'keepalived-kill' },
      checks: recorded.checks.map((check) => (check.id === 'split-brain' ? { ...check, pass: false, expected: 'fail' } : check)),
    });
    const indexDir = path.join(reports, 'index');
    const { htmlPath, markdown } = writeFaultIndex(indexDir, [linkDown, partition, stop, kill]);

    expect(htmlPath).to.equal(path.join(indexDir, 'index.html'));
    expect(markdown.trimEnd().split('\n')).to.deep.equal([
      '| fault | failover time | client outage | failed requests | VRRP transitions | verdict | report |',
      '|---|---|---|---|---|---|---|',
      '| link-down | 3.20 s | 3.07 s | 15 | 5 | PASS | [2026-11-27T18-28-34-250Z-dev](../run-link-down/report.html) |',
      '| vrrp-partition &lt;b> | never | 0.25 s | 0 | 5 | FAIL | [run two](../run%20two/report.html) |',
      '| link-down | never | 3.07 s | 15 | 5 | PASS | [run-3](../run-3/report.html) |',
      '| keepalived-kill | 3.20 s | 3.07 s | 15 | 5 | PASS (split-brain FAIL, as the fault makes it) | [run-4](../run-4/report.html) |',
    ]);
    expect(readFileSync(path.join(indexDir, 'summary.md'), 'utf8')).to.include(markdown);
    const page = readFileSync(htmlPath, 'utf8');
    expect(page).to.include('<a href="../run-link-down/report.html">').and.to.include('<a href="../run%20two/report.html">run two</a>');
    expect(page).to.include('vrrp-partition &lt;b&gt;').and.not.to.include('vrrp-partition <b>');
    expect(page).to.include('<span class="fail">FAIL</span>').and.to.include('4 run(s), 1 FAIL');
    expect(page).to.include('<span class="pass">PASS</span> (split-brain FAIL, as the fault makes it)');
  });

  it('counts VRRP transitions as the run\'s summary does (during the load), not over the whole recording', () => {
    const reports = tempReportsDir();
    const recorded = recordedRunRecord();
    // A transition before the load starts (the lab settling) is not the fault's.
    const dir = resultDir(reports, 'run', { ...recorded, measures: { ...recorded.measures, transitions: 4 } });
    const { markdown } = writeFaultIndex(path.join(reports, 'index'), [dir]);
    expect(markdown).to.match(/^\| link-down \| [^|]+ \| [^|]+ \| 15 \| 4 \| PASS \|/m);
  });

  it('names the run folder whose result.json is missing or not a result', () => {
    const reports = tempReportsDir();
    const broken = resultDir(reports, 'broken', { runId: 'x' });
    const call = (dirs: string[]) => () => writeFaultIndex(path.join(reports, 'index'), dirs);
    expect(call([broken])).to.throw(LabError, /broken.*result\.json is not a run's result\.json: load/);
    expect(call([path.join(reports, 'missing')])).to.throw(LabError, /missing.*result\.json cannot be read/);
  });
});
