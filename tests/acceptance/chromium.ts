import { expect } from 'chai';
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { aptInstall, onPath } from '../../src/host/packages.js';
import { isRoot } from '../../src/util/paths.js';

export const chromiumPath = '/usr/bin/chromium';

/** The browser test needs Debian's chromium: as root on an apt host it is installed here, as setup.ts installs vagrant. */
export async function ensureChromium(): Promise<void> {
  if (onPath('chromium')) return;
  expect(isRoot() && existsSync('/usr/bin/apt-get'), "the report's browser test needs Debian's chromium package: apt-get install --no-install-recommends chromium").to.equal(true);
  await aptInstall(['chromium'], { noRecommends: true });
}

/**
 * Headless Chromium in a network namespace of its own, with no interface up: whatever it or the page
 * tries, nothing leaves this machine (puppeteer talks to it over a pipe, not a socket). --no-sandbox:
 * Chromium's own sandbox does not start as root or inside a user namespace.
 */
export function launchOfflineChromium(): Promise<Browser> {
  const chromiumArgs = puppeteer.defaultArgs({ headless: true, args: ['--no-sandbox', '--window-size=1280,1000'] });
  return puppeteer.launch({
    executablePath: '/usr/bin/unshare',
    ignoreDefaultArgs: true,
    args: ['--user', '--map-root-user', '--net', '--', chromiumPath, ...chromiumArgs],
    pipe: true,
    defaultViewport: { width: 1280, height: 1000 },
  });
}
