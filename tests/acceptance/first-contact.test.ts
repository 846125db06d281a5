import { expect } from 'chai';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clientSocket } from '../../src/lab/access.js';
import { httpGet } from '../../src/lab/http-probe.js';
import { labPaths, requireLabMeta } from '../../src/lab/state.js';
import { repoRoot } from '../helpers.js';
import { labPidNamespace, leftovers, processesInNamespace, runCli } from './cli.js';

const lab = 'fresh';
const paths = labPaths(lab);
const vip = '172.28.128.200';
/** The host programs that only the packages lab:up must install provide, by package. */
const providedBy: Record<string, string[]> = { 'user-mode-linux': ['linux.uml'], mmdebstrap: ['mmdebstrap'] };

/**
 * A bin folder that looks like a fresh Debian host: every program of /usr/bin except those of the
 * packages above, and an apt-get stand-in that records what it is asked and "installs" a package
 * by linking its real programs in (options may come before the command: lab:up's wait for dpkg's
 * lock). Any other call (mmdebstrap's, which set APT_CONFIG) goes to the real one.
 */
function freshHostBin(dir: string, record: string): string {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  const withheld = new Set(Object.values(providedBy).flat().concat('apt-get'));
  for (const entry of readdirSync('/usr/bin')) {
    if (!withheld.has(entry)) symlinkSync(path.join('/usr/bin', entry), path.join(bin, entry));
  }
  const installs = Object.entries(providedBy)
    .map(([pkg, programs]) => `      ${pkg}) ${programs.map((program) => `ln -sf /usr/bin/${program} "$bin/${program}"`).join('; ')} ;;`)
    .join('\n');
  writeFileSync(
    path.join(bin, 'apt-get'),
    `#!/bin/sh
command=
for arg in "$@"; do case "$arg" in install|update) command=$arg; break ;; esac; done
case "$APT_CONFIG:$command" in :install|:update) ;; *) exec /usr/bin/apt-get "$@" ;; esac
bin=$(dirname "$0")
echo "$*" >> ${record}
for pkg in "$@"; do
  case "$pkg" in
${installs}
  esac
done
`,
  );
  chmodSync(path.join(bin, 'apt-get'), 0o755);
  return bin;
}

describe('first contact: npm ci && npm run lab:up on a fresh host, from a 0700 folder (acceptance)', function () {
  this.timeout(600_000);
  let work = '';
  let cache = '';
  let cli = '';
  let env: NodeJS.ProcessEnv = {};
  let record = '';

  before(async () => {
    await runCli(['down', '--name', lab]);
    // A checkout where only its owner may enter, as a clone in root's home or in mktemp -d.
    work = mkdtempSync(path.join(os.tmpdir(), 'failover-lab-fresh-'));
    expect(statSync(work).mode & 0o777).to.equal(0o700);
    for (const entry of ['package.json', 'dist', 'provision', 'box', 'lab']) cpSync(path.join(repoRoot, entry), path.join(work, 'app', entry), { recursive: true });
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(work, 'app', 'node_modules'));
    cli = path.join(work, 'app', 'dist', 'src', 'cli', 'main.js');
    record = path.join(work, 'apt-get.calls');
    // No image cached: an empty cache the sandbox's user may read once the image is in it.
    cache = mkdtempSync(path.join(os.tmpdir(), 'failover-lab-fresh-cache-'));
    chmodSync(cache, 0o755);
    env = { ...process.env, PATH: `${freshHostBin(work, record)}:/usr/sbin:/sbin`, FAILOVER_LAB_CACHE: cache };
  });

  after(async function () {
    this.timeout(60_000);
    await runCli(['down', '--name', lab], { cli, env });
    rmSync(work, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it('asks for every package before it needs one, builds the image, serves the VIP; lab:down leaves no process behind', async () => {
    const up = await runCli(['up', '--name', lab], { cli, env });
    expect(up.code, up.stderr).to.equal(0);
    // One apt-get install, before the image build, naming the builder's packages too.
    const calls = readFileSync(record, 'utf8').trim().split('\n');
    const installs = calls.filter((call) => call.split(' ').includes('install'));
    expect(installs, calls.join('\n')).to.have.length(1);
    for (const pkg of Object.keys(providedBy)) expect(installs[0]).to.include(pkg);
    expect(up.stderr.indexOf('installing host packages')).to.be.within(0, up.stderr.indexOf('building node image'));
    expect(readdirSync(path.join(cache, 'boxes'))).to.have.length(1);

    // The nodes booted from an image in that cache and the VIP answers (the checkout stays 0700).
    expect(requireLabMeta(paths, lab).boxImage?.startsWith(cache)).to.equal(true);
    const answer = await httpGet(clientSocket(paths, requireLabMeta(paths, lab), vip, 80), vip);
    expect(answer.body.trim()).to.match(/^backend[12]$/);
    expect(statSync(work).mode & 0o777).to.equal(0o700);

    const namespace = labPidNamespace(paths.holderScript);
    const down = await runCli(['down', '--name', lab], { cli, env });
    expect(processesInNamespace(namespace), 'processes of the lab still there when lab:down returned').to.deep.equal([]);
    expect(down.code, down.stderr).to.equal(0);
    expect(leftovers(paths.dir)).to.deep.equal([]);
    expect(existsSync(paths.dir)).to.equal(false);
  });
});
