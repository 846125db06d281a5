import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { LabError } from '../../errors.js';

/** The code and styles report.html inlines, so the page needs nothing but itself. */
export interface ReportAssets {
  uplotJs: string;
  uplotCss: string;
  /** The compiled browser/report-chart.ts. */
  chartJs: string;
}

let cached: ReportAssets | undefined;

/** Reads uPlot's built files from node_modules and the compiled chart script, once per process. */
export function loadReportAssets(): ReportAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const files = {
    uplotJs: () => require.resolve('uplot/dist/uPlot.iife.min.js'),
    uplotCss: () => require.resolve('uplot/dist/uPlot.min.css'),
    chartJs: () => fileURLToPath(new URL('./browser/report-chart.js', import.meta.url)),
  };
  const read = (name: keyof typeof files) => {
    try {
      return readFileSync(files[name](), 'utf8');
    } catch (error) {
      throw new LabError('REPORT_ASSET_MISSING', `report.html cannot be written: ${name} of the chart is missing`, {
        hint: 'run npm ci (uPlot is a dependency) and npm run build',
        cause: error,
      });
    }
  };
  // The source map comment would point the browser's devtools at a file beside dist/, not in the page.
  cached = { uplotJs: read('uplotJs'), uplotCss: read('uplotCss'), chartJs: read('chartJs').replace(/^\/\/# sourceMappingURL=.*$/m, '') };
  return cached;
}
