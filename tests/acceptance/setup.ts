import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { aptInstall, onPath } from '../../src/host/packages.js';
import { isRoot } from '../../src/util/paths.js';
import { runCli } from './cli.js';
import { downUntakenEarlyLabs, startEarlyLabs } from './early-labs.js';

/**
 * The Vagrant tests need Debian's vagrant (not VirtualBox). As root on an apt host it is installed
 * here, as `lab:up` installs the uml packages, so `npm test` on a fresh machine needs nothing more.
 */
async function ensureVagrant(): Promise<void> {
  if (onPath('vagrant')) return;
  expect(isRoot() && existsSync('/usr/bin/apt-get'), 'the Vagrant tests need Debian\'s vagrant package: apt-get install --no-install-recommends vagrant').to.equal(true);
  await aptInstall(['vagrant'], { noRecommends: true });
}

// Root hook, loaded first (.mocharc "file"): the node image is built once, up front, so no single
// acceptance test pays for it on a fresh machine, and a build failure shows as what it is. Then the
// labs that test files asked for early (early-labs.ts) start coming up in the background.
before(async function () {
  this.timeout(900_000);
  const image = await runCli(['image']);
  expect(image.code, `building the node image failed:\n${image.stderr}`).to.equal(0);
  await ensureVagrant();
  startEarlyLabs();
});

after(async function () {
  this.timeout(900_000);
  await downUntakenEarlyLabs();
});
