/**
 * Runs in the browser, inlined into report.html after uPlot: draws the run's chart from the
 * embedded JSON. The VIP bands go under the series (drawClear hook), the keepalived state lanes
 * above the plot and the fault markers over it (draw hook). What each hook drew is kept in
 * window.__report.drawn, so a test can check the picture without reading pixels.
 */
import type UPlot from 'uplot';
import type { ChartData } from '../chart-data.js';

declare const uPlot: typeof UPlot;

interface Drawn {
  vipBands: { from: number; to: number; holders: string[] }[];
  stateSpans: { node: string; state: string; from: number; to: number }[];
  faultMarkers: { t: number; action: string }[];
}

declare global {
  interface Window {
    __report?: { plot: UPlot; data: ChartData; drawn: Drawn };
  }
}

const laneHeight = 18;
const laneGap = 3;
const backendColours = ['#1f77b4', '#2ca02c', '#9467bd', '#17becf', '#8c564b', '#bcbd22'];
const failedColour = '#d62728';
const revertColour = '#2e9d4f';
const holderColours = ['rgba(31, 119, 180, 0.13)', 'rgba(255, 127, 14, 0.16)', 'rgba(148, 103, 189, 0.15)'];
const noHolderColour = 'rgba(120, 120, 120, 0.22)';
const splitBrainColour = 'rgba(214, 39, 40, 0.28)';
const stateColours: Record<string, string> = { MASTER: '#2e9d4f', BACKUP: '#b9c3cc', FAULT: '#d62728' };
const otherStateColour = '#e8b422';

function holderColour(data: ChartData, holders: string[]): string {
  if (holders.length === 0) return noHolderColour;
  if (holders.length > 1) return splitBrainColour;
  return holderColours[data.balancers.indexOf(holders[0] ?? '') % holderColours.length] ?? noHolderColour;
}

/** The part of [from, to] inside the x scale, in canvas pixels, or nothing when it is outside. */
function pixelSpan(plot: UPlot, from: number, to: number): { left: number; width: number } | undefined {
  const { left, width } = plot.bbox;
  const start = Math.max(left, plot.valToPos(from, 'x', true));
  const stop = Math.min(left + width, plot.valToPos(to, 'x', true));
  return stop > start ? { left: start, width: stop - start } : undefined;
}

/** One drawing step on the chart's canvas, its state saved and restored around it; sizes are CSS pixels × ratio. */
function onCanvas(plot: UPlot, font: string, baseline: CanvasTextBaseline, step: (ctx: CanvasRenderingContext2D, ratio: number) => void): void {
  const { ctx } = plot;
  const ratio = uPlot.pxRatio;
  ctx.save();
  ctx.font = `${font} ${11 * ratio}px sans-serif`;
  ctx.textBaseline = baseline;
  step(ctx, ratio);
  ctx.restore();
}

/** Writes a label at the start of a span when it fits inside it. */
function labelInside(ctx: CanvasRenderingContext2D, text: string, span: { left: number; width: number }, y: number, colour: string): void {
  const inset = 4 * uPlot.pxRatio;
  if (ctx.measureText(text).width + 2 * inset >= span.width) return;
  ctx.fillStyle = colour;
  ctx.fillText(text, span.left + inset, y);
}

function drawVipBands(plot: UPlot, data: ChartData, drawn: Drawn): void {
  const { bbox } = plot;
  onCanvas(plot, 'normal', 'top', (ctx, ratio) => {
    for (const band of data.vipHolders) {
      const span = pixelSpan(plot, band.from, band.to);
      if (!span) continue;
      ctx.fillStyle = holderColour(data, band.holders);
      ctx.fillRect(span.left, bbox.top, span.width, bbox.height);
      labelInside(ctx, band.holders.length === 0 ? 'VIP: nobody' : `VIP: ${band.holders.join(' + ')}`, span, bbox.top + 4 * ratio, '#333');
      drawn.vipBands.push({ from: band.from, to: band.to, holders: band.holders });
    }
  });
}

/** In the padding above the plot: a lane per balancer, coloured by its keepalived state. */
function drawStateLanes(plot: UPlot, data: ChartData, drawn: Drawn): void {
  onCanvas(plot, 'normal', 'middle', (ctx, ratio) => {
    data.balancers.forEach((node, lane) => {
      const top = (laneGap + lane * (laneHeight + laneGap)) * ratio;
      const middle = top + (laneHeight * ratio) / 2;
      ctx.fillStyle = '#333';
      ctx.textAlign = 'right';
      ctx.fillText(node, plot.bbox.left - 6 * ratio, middle);
      ctx.textAlign = 'left';
      for (const state of data.vrrpStates.filter((span) => span.node === node)) {
        const span = pixelSpan(plot, state.from, state.to);
        if (!span) continue;
        ctx.fillStyle = stateColours[state.state] ?? otherStateColour;
        ctx.fillRect(span.left, top, span.width, laneHeight * ratio);
        labelInside(ctx, state.state, span, middle, state.state === 'BACKUP' ? '#333' : '#fff');
        drawn.stateSpans.push(state);
      }
    });
  });
}

function drawFaultMarkers(plot: UPlot, data: ChartData, drawn: Drawn): void {
  const { bbox } = plot;
  onCanvas(plot, 'bold', 'bottom', (ctx, ratio) => {
    for (const fault of data.faults) {
      const x = plot.valToPos(fault.t, 'x', true);
      if (x < bbox.left || x > bbox.left + bbox.width) continue;
      ctx.textAlign = 'left';
      ctx.strokeStyle = fault.action === 'inject' ? failedColour : revertColour;
      ctx.fillStyle = ctx.strokeStyle;
      ctx.lineWidth = 2 * ratio;
      ctx.setLineDash([6 * ratio, 4 * ratio]);
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
      ctx.fillText(`${fault.label}${fault.ok ? '' : ' (FAILED)'}`, x + 4 * ratio, bbox.top + bbox.height - 4 * ratio);
      drawn.faultMarkers.push({ t: fault.t, action: fault.action });
    }
  });
}

/** What the bands, lanes and markers mean, built with textContent (node names come from the lab). */
function writeLegend(data: ChartData): void {
  const legend = document.getElementById('chart-legend');
  if (!legend) return;
  const item = (colour: string, text: string) => {
    const entry = document.createElement('span');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = colour;
    entry.append(swatch, text);
    legend.append(entry);
  };
  for (const node of data.balancers) item(holderColour(data, [node]), `VIP on ${node}`);
  if (data.balancers.length > 0) {
    item(noHolderColour, 'VIP on nobody');
    item(splitBrainColour, 'VIP on two balancers (split brain)');
    for (const [state, colour] of Object.entries(stateColours)) item(colour, `keepalived ${state}`);
    item(otherStateColour, 'keepalived, other state');
  }
  item(failedColour, data.words?.inject ?? 'fault injected');
  item(revertColour, data.words?.revert ?? 'fault reverted');
}

function render(): void {
  const element = document.getElementById('chart');
  const json = document.getElementById('chart-data')?.textContent;
  if (!element || !json) throw new Error('report.html lacks its chart element or data');
  const data = JSON.parse(json) as ChartData;
  const drawn: Drawn = { vipBands: [], stateSpans: [], faultMarkers: [] };
  let backendIndex = 0;
  const options: UPlot.Options = {
    width: Math.max(600, element.clientWidth),
    height: 420,
    padding: [data.balancers.length * (laneHeight + laneGap) + 2 * laneGap, 16, null, null],
    scales: { x: { time: false, range: [data.range.from, data.range.to] } },
    axes: [
      { label: data.words?.xAxis ?? 'seconds since the load started' },
      { label: data.words?.yAxis ?? 'per second', size: 80 },
    ],
    series: [
      { label: 'time (s)' },
      ...data.series.map((series) => ({
        label: series.label,
        stroke: series.kind === 'failed' ? failedColour : (backendColours[backendIndex++ % backendColours.length] ?? failedColour),
        width: series.kind === 'failed' ? 2 : 1.5,
        points: { show: false },
      })),
    ],
    hooks: {
      drawClear: [
        () => {
          drawn.vipBands = [];
          drawn.stateSpans = [];
          drawn.faultMarkers = [];
        },
        (plot) => drawVipBands(plot, data, drawn),
      ],
      draw: [
        (plot) => drawStateLanes(plot, data, drawn),
        (plot) => drawFaultMarkers(plot, data, drawn),
        () => {
          element.dataset.vipBands = String(drawn.vipBands.length);
          element.dataset.stateSpans = String(drawn.stateSpans.length);
          element.dataset.faultMarkers = String(drawn.faultMarkers.length);
        },
      ],
    },
  };
  const plot = new uPlot(options, [data.x, ...data.series.map((series) => series.values)], element);
  window.__report = { plot, data, drawn };
  writeLegend(data);
}

render();
