/**
 * Reads keepalived's own state dump (/tmp/keepalived.data, written on SIGUSR1): the state of each
 * VRRP instance as keepalived itself sees it, rather than guessed from addresses.
 */
export function parseKeepalivedData(text: string): Map<string, string> {
  const states = new Map<string, string>();
  let instance: string | undefined;
  for (const line of text.split('\n')) {
    const header = /^\s*VRRP Instance = (\S+)/.exec(line);
    if (header) {
      instance = header[1];
      continue;
    }
    const state = /^\s*State = (\S+)/.exec(line);
    if (instance && state?.[1] && !states.has(instance)) {
      states.set(instance, state[1]);
      instance = undefined;
    }
  }
  return states;
}
