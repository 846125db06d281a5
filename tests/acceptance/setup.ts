import { expect } from 'chai';
import { runCli } from './cli.js';

// Root hook, loaded first (.mocharc "file"): the node image is built once, up front, so no single
// acceptance test pays for it on a fresh machine, and a build failure shows as what it is.
before(async function () {
  this.timeout(900_000);
  const image = await runCli(['image']);
  expect(image.code, `building the node image failed:\n${image.stderr}`).to.equal(0);
});
