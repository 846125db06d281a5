import { expect } from 'chai';
import { csvCell, renderGradesCsv } from '../../src/grade/output/csv.js';
import { report } from './grade-output-data.js';

/** A small RFC 4180 reader, to check the file reads back as written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (char === '"') quoted = false; else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') { row.push(cell); cell = ''; } else if (char === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 1; } else cell += char;
  }
  return rows;
}

describe('grade output: grades.csv', () => {
  it('has the header and a 1/0/empty column per criterion, CRLF line ends', () => {
    const csv = renderGradesCsv([report('alice.md', ['balanced']), report('bob.md', [], { verdict: 'error' }, ['config-valid', 'roles'])]);
    expect(csv.endsWith('\r\n')).to.equal(true);
    expect(parseCsv(csv)).to.deep.equal([
      ['submission', 'verdict', 'score', 'max_score', 'config-valid', 'roles', 'vip-serves', 'balanced', 'failover', 'no-split-brain', 'failback'],
      ['alice.md', 'fail', '10', '12', '1', '1', '1', '0', '1', '1', '1'],
      ['bob.md', 'error', '3', '12', '1', '1', '', '', '', '', ''],
    ]);
  });

  it('quotes a name with a comma, a quote and a line break, and keeps Cyrillic as is', () => {
    const name = 'Иванов, "Вася"\nдз 3.8.md';
    const csv = renderGradesCsv([report(name)]);
    expect(csv).to.include('"Иванов, ""Вася""\nдз 3.8.md",pass');
    expect(parseCsv(csv)[1]![0]).to.equal(name);
  });

  it('makes formula-looking cells inert: quoted, prefixed with \'', () => {
    const hostile = "=cmd|' /C calc'!A0";
    const csv = renderGradesCsv([report(hostile)]);
    expect(csv.split('\r\n')[1]).to.match(/^"'=cmd\|' \/C calc'!A0",pass,/);
    expect(parseCsv(csv)[1]![0]).to.equal(`'${hostile}`);
    for (const start of ['+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(start), JSON.stringify(start)).to.equal(`"'${start}"`);
    expect(csvCell('plain')).to.equal('plain');
  });
});
