import { LabError } from '../errors.js';
import type { ProviderName } from '../lab/state.js';
import { problemsOf, type Check } from '../doctor/check.js';

export interface ProviderChoice {
  name: ProviderName;
  /** Said to the user, so a laptop and CI never differ silently. */
  reason: string;
}

const names: ProviderName[] = ['uml', 'vagrant'];

export function parseProviderName(value: string, source: string): ProviderName {
  if ((names as string[]).includes(value)) return value as ProviderName;
  throw new LabError('USAGE', `${source} must be uml or vagrant, not "${value}"`);
}

/**
 * --provider wins, then LAB_PROVIDER; otherwise uml where it can run (Linux, with what `umlChecks`
 * finds no problem in), and vagrant elsewhere (macOS, Windows, a Linux without root or namespaces).
 */
export function chooseProvider(options: { flag?: string; env?: string; platform: NodeJS.Platform; umlChecks: () => Check[] }): ProviderChoice {
  if (options.flag) return { name: parseProviderName(options.flag, '--provider'), reason: 'chosen with --provider' };
  if (options.env) return { name: parseProviderName(options.env, 'LAB_PROVIDER'), reason: 'chosen with LAB_PROVIDER' };
  if (options.platform !== 'linux') return { name: 'vagrant', reason: `the default on ${options.platform} (uml needs Linux)` };
  const [blocker] = problemsOf(options.umlChecks());
  if (blocker) return { name: 'vagrant', reason: `uml cannot run here: ${blocker.what}` };
  return { name: 'uml', reason: 'the default on Linux; --provider vagrant uses VirtualBox' };
}
