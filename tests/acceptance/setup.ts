import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { run } from '../../src/util/run.js';
import { isRoot } from '../../src/util/paths.js';
import { runCli } from './cli.js';

/**
 * The Vagrant tests need Debian's vagrant (not VirtualBox). As root on an apt host it is installed
 * here, as `lab:up` installs the uml packages, so `npm test` on a fresh machine needs nothing more.
 */
async function ensureVagrant(): Promise<void> {
  if ((await run('sh', ['-c', 'command -v vagrant'])).code === 0) return;
  const install = ['install', '-y', '-q', '--no-install-recommends', 'vagrant'];
  expect(isRoot() && existsSync('/usr/bin/apt-get'), 'the Vagrant tests need Debian\'s vagrant package: apt-get install --no-install-recommends vagrant').to.equal(true);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = await run('apt-get', install, { env });
  if (result.code !== 0) {
    await run('apt-get', ['update', '-q'], { env }); // a fresh machine may have no package lists yet
    result = await run('apt-get', install, { env });
  }
  expect(result.code, `apt-get could not install vagrant:\n${result.stderr}`).to.equal(0);
}

// Root hook, loaded first (.mocharc "file"): the node image is built once, up front, so no single
// acceptance test pays for it on a fresh machine, and a build failure shows as what it is.
before(async function () {
  this.timeout(900_000);
  const image = await runCli(['image']);
  expect(image.code, `building the node image failed:\n${image.stderr}`).to.equal(0);
  await ensureVagrant();
});
