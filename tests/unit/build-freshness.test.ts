import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers.js';

interface BuildFreshness {
  staleInput(root: string): string | undefined;
}

const loadFreshness = async (): Promise<BuildFreshness> => (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'build-freshness.mjs')).href)) as BuildFreshness;

describe('the launcher compiles only when a source is newer than the last build (scripts/build-freshness.mjs)', () => {
  let root = '';
  let freshness: BuildFreshness;
  const at = (relative: string, secondsAgo: number) => {
    const when = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(path.join(root, relative), when, when);
  };
  const write = (relative: string, secondsAgo: number) => {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), '');
    at(relative, secondsAgo);
  };

  beforeEach(async () => {
    freshness = await loadFreshness();
    root = mkdtempSync(path.join(os.tmpdir(), 'failover-lab-launcher-'));
    for (const file of ['tsconfig.json', 'package.json', 'src/cli/main.ts', 'tests/unit/a.test.ts', 'tests/fixtures/recorded.txt', 'bench/bench-up.ts']) write(file, 100);
    for (const dir of ['src/cli', 'src', 'tests/unit', 'tests/fixtures', 'tests', 'bench']) at(dir, 100);
    write('dist/.tsbuildinfo', 50);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is fresh when every input is older than dist/.tsbuildinfo, and stale without one', () => {
    expect(freshness.staleInput(root)).to.equal(undefined);
    rmSync(path.join(root, 'dist', '.tsbuildinfo'));
    expect(freshness.staleInput(root)).to.equal('no build yet');
  });

  it('names the edited source, test, bench file or config file', () => {
    for (const input of ['src/cli/main.ts', 'tests/unit/a.test.ts', 'bench/bench-up.ts', 'tsconfig.json', 'package.json']) {
      at(input, 10);
      expect(freshness.staleInput(root), input).to.equal(input);
      at(input, 100);
    }
  });

  it('sees a file added, removed or renamed (its folder changes; a renamed file keeps its own time)', () => {
    renameSync(path.join(root, 'src/cli/main.ts'), path.join(root, 'src/cli/entry.ts'));
    expect(freshness.staleInput(root)).to.equal(path.join('src', 'cli'));
  });

  it('ignores what tsc does not compile: other files, dot folders, dist itself', () => {
    write('tests/fixtures/recorded.txt', 10);
    at('tests/fixtures', 100);
    write('tests/vagrant/.vagrant/machines/state.ts', 10);
    for (const dir of ['tests/vagrant', 'tests']) at(dir, 100);
    write('dist/src/cli/main.js', 10);
    expect(freshness.staleInput(root)).to.equal(undefined);
  });
});
