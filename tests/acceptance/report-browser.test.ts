import { expect } from 'chai';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { writeFaultIndex } from '../../src/report/fault-index.js';
import { connectionChecks } from '../../src/checks/connection-checks.js';
import { reportsDir, writeConnectionsReport, writeRunReport } from '../../src/report/write.js';
import type { ConnectionsResult } from '../../src/scenario/connections-plan.js';
import { fixture } from '../helpers.js';
import { hostile, hostileRunRecord, recordedRunRecord } from '../report-fixtures.js';
import { ensureChromium, launchOfflineChromium } from './chromium.js';

/** What the page did while it loaded: anything but file:// is refused and kept here. */
interface PageLog {
  errors: string[];
  /** alert() and the like: hostile text that ran as script would open one. */
  dialogs: string[];
  refusedRequests: string[];
  fileRequests: string[];
}

async function openOffline(browser: Browser, file: string): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage();
  const log: PageLog = { errors: [], dialogs: [], refusedRequests: [], fileRequests: [] };
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url().startsWith('file:')) {
      log.fileRequests.push(request.url());
      void request.continue();
    } else {
      log.refusedRequests.push(request.url());
      void request.abort('blockedbyclient');
    }
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn') log.errors.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    log.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => log.errors.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, log };
}

describe('report.html in headless Chromium (acceptance)', function () {
  this.timeout(120_000);
  const artifacts = path.join(reportsDir(), 'report-browser');
  const record = recordedRunRecord();
  let browser: Browser | undefined;

  before(async function () {
    this.timeout(600_000); // a fresh machine installs chromium first
    await ensureChromium();
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
    browser = await launchOfflineChromium();
  });

  after(async () => {
    await browser?.close();
  });

  it('draws the recorded run: series with points, VIP bands, keepalived lanes and fault markers; no error, no request leaves file://', async () => {
    const runDir = writeRunReport(record, record.checks, record.measures, '# recorded seed run\n', path.join(artifacts, 'run'));
    const started = Date.now();
    const { page, log } = await openOffline(browser!, path.join(runDir, 'report.html'));
    await page.waitForFunction(() => window.__report !== undefined, { timeout: 10_000 });
    const renderMs = Date.now() - started;
    const drawnPage = await page.evaluate(() => {
      const report = window.__report!;
      const chart = document.getElementById('chart')!;
      return {
        seriesPoints: report.plot.data.map((values) => values.length),
        seriesTotals: report.plot.data.slice(1).map((values) => Array.from(values as ArrayLike<number | null>).reduce<number>((sum, value) => sum + (value ?? 0), 0)),
        seriesLabels: report.plot.series.slice(1).map((series) => String(series.label)),
        drawn: report.drawn,
        dataset: { ...chart.dataset },
        canvases: chart.querySelectorAll('canvas').length,
        legend: document.getElementById('chart-legend')!.textContent,
      };
    });
    await page.screenshot({ path: path.join(artifacts, 'screenshot.png'), fullPage: true });

    expect(log.errors).to.deep.equal([]);
    expect(log.dialogs).to.deep.equal([]);
    expect(log.refusedRequests).to.deep.equal([]);
    expect(log.fileRequests).to.have.length(1); // the page itself: everything else is inside it
    expect(drawnPage.canvases).to.equal(1);
    expect(drawnPage.seriesLabels).to.deep.equal(['backend1 answers/s', 'backend2 answers/s', 'failed requests/s']);
    const buckets = drawnPage.seriesPoints[0] ?? 0;
    expect(buckets).to.be.within(20, 30); // 1 s buckets over the 24 s load
    expect(drawnPage.seriesPoints).to.deep.equal([buckets, buckets, buckets, buckets]);
    // About 90 answers/s from each backend over the 24 s, and the failures at failover and failback.
    expect(drawnPage.seriesTotals[0]).to.be.within(1800, 2400);
    expect(drawnPage.seriesTotals[1]).to.be.within(1800, 2400);
    expect(drawnPage.seriesTotals[2]).to.equal(record.load.failed);
    // VIP: balancer1, nobody (link down), balancer2, both for a moment at the failback, balancer1.
    expect(drawnPage.drawn.vipBands.map((band) => band.holders.join('+'))).to.deep.equal(['balancer1', '', 'balancer2', 'balancer1+balancer2', 'balancer1']);
    expect(drawnPage.drawn.faultMarkers.map((marker) => marker.action)).to.deep.equal(['inject', 'revert']);
    expect(new Set(drawnPage.drawn.stateSpans.map((span) => span.node))).to.deep.equal(new Set(['balancer1', 'balancer2']));
    expect(drawnPage.drawn.stateSpans.map((span) => span.state)).to.include('FAULT');
    expect(drawnPage.dataset).to.deep.include({ vipBands: '5', faultMarkers: '2' });
    expect(drawnPage.legend).to.include('VIP on balancer2').and.to.include('keepalived FAULT');
    const png = readFileSync(path.join(artifacts, 'screenshot.png'));
    expect(png.subarray(1, 4).toString()).to.equal('PNG');
    console.log(`      report.html ${(readFileSync(path.join(runDir, 'report.html')).length / 1024).toFixed(0)} KiB, opened and drawn in ${renderMs} ms; screenshot ${path.join(artifacts, 'screenshot.png')}`);
  });

  it('a run whose node names, checks and ipvsadm text carry markup and script: shown as text, nothing runs, the chart still draws', async () => {
    const hostileRecord = hostileRunRecord();
    const runDir = writeRunReport(hostileRecord, hostileRecord.checks, hostileRecord.measures, '# hostile\n', path.join(artifacts, 'hostile'));
    const { page, log } = await openOffline(browser!, path.join(runDir, 'report.html'));
    await page.waitForFunction(() => window.__report !== undefined, { timeout: 10_000 });
    const shown = await page.evaluate(() => ({
      lab: document.querySelector('p b')?.textContent,
      injectedElements: document.querySelectorAll('body img, body script:not([type="application/json"]):not([type="module"])').length,
      lanes: window.__report!.data.balancers,
      vipBands: window.__report!.drawn.vipBands.length,
    }));
    expect(log.dialogs).to.deep.equal([]);
    expect(log.errors).to.deep.equal([]);
    expect(log.refusedRequests).to.deep.equal([]);
    expect(shown.lab).to.equal(hostile);
    expect(shown.injectedElements).to.equal(1); // uPlot's own script, nothing of the hostile text
    expect(shown.lanes).to.include(`balancer1${hostile}`);
    expect(shown.vipBands).to.equal(5);
  });

  it('draws a connections run (homework Q1): the ActiveConn and InActConn curves and the open, close and timeout markers', async () => {
    const result = JSON.parse(fixture('connections-result-uml.json')) as ConnectionsResult;
    const checks = connectionChecks(result);
    const runDir = writeConnectionsReport(result, checks, '# recorded connections run\n', path.join(artifacts, 'connections'));
    const { page, log } = await openOffline(browser!, path.join(runDir, 'report.html'));
    await page.waitForFunction(() => window.__report !== undefined, { timeout: 10_000 });
    const drawnPage = await page.evaluate(() => ({
      labels: window.__report!.plot.series.slice(1).map((series) => String(series.label)),
      peaks: window.__report!.plot.data.slice(1).map((values) => Math.max(...(Array.from(values as ArrayLike<number | null>).map((value) => value ?? 0)))),
      markers: window.__report!.drawn.faultMarkers.length,
      legend: document.getElementById('chart-legend')!.textContent,
    }));
    await page.screenshot({ path: path.join(artifacts, 'connections.png'), fullPage: true });
    expect(log.errors).to.deep.equal([]);
    expect(log.refusedRequests).to.deep.equal([]);
    expect(drawnPage.labels).to.deep.equal(['ActiveConn', 'InActConn']);
    // Both curves reach the held connections: ActiveConn while open, InActConn after the close.
    expect(drawnPage.peaks[0]).to.be.at.least(result.connections.length);
    expect(drawnPage.peaks[1]).to.be.at.least(result.connections.length);
    expect(drawnPage.markers).to.equal(3);
    expect(drawnPage.legend).to.include('connections opened').and.not.to.include('keepalived');
  });

  it('the fault index opens offline too, and its link leads to a run\'s report', async () => {
    const runDir = path.join(artifacts, 'run');
    const { htmlPath } = writeFaultIndex(path.join(artifacts, 'index'), [runDir]);
    const { page, log } = await openOffline(browser!, htmlPath);
    const link = await page.$eval('table a', (anchor) => (anchor as HTMLAnchorElement).href);
    expect(link).to.equal(pathToFileURL(path.join(runDir, 'report.html')).href);
    expect(log.errors).to.deep.equal([]);
    expect(log.refusedRequests).to.deep.equal([]);
  });
});
