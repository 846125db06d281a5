import type { ProviderName } from '../lab/state.js';
import { umlProvider } from '../uml/provider.js';
import { vagrantProvider } from '../vagrant/provider.js';
import type { LabProvider } from './provider.js';

/** Every provider the engine can drive: the one list that names them. */
export const providers: readonly LabProvider[] = [umlProvider, vagrantProvider];

export function providerFor(name: ProviderName): LabProvider {
  const provider = providers.find((candidate) => candidate.name === name);
  if (!provider) throw new Error(`no provider named ${name}`); // LabMeta.provider is typed: cannot happen
  return provider;
}
