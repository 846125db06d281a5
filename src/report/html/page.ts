import { escapeHtml } from './escape.js';

/** The styles both report pages share; no external fonts or images. */
const pageCss = `
body { font: 14px/1.45 system-ui, sans-serif; color: #222; margin: 24px auto; max-width: 1180px; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f4f6f8; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #f6f8fa; border: 1px solid #e1e4e8; padding: 8px 10px; overflow-x: auto; font-size: 12.5px; }
.pass { color: #1a7f37; font-weight: bold; }
.fail { color: #c62828; font-weight: bold; }
.muted { color: #666; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 12.5px; margin: 6px 0; }
.swatch { display: inline-block; width: 14px; height: 10px; margin-right: 4px; border: 1px solid #aaa; vertical-align: middle; }
`;

/** One self-contained HTML document: its styles and scripts are all inside it. */
export function htmlPage(options: { title: string; body: string; head?: string }): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may be fetched: the page is opened from a folder of reports, often offline.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(options.title)}</title>`,
    `<style>${pageCss}</style>`,
    options.head ?? '',
    '</head>',
    '<body>',
    options.body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** PASS or FAIL, coloured. */
export function verdictHtml(pass: boolean): string {
  return pass ? '<span class="pass">PASS</span>' : '<span class="fail">FAIL</span>';
}
