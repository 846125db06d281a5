import type { Fault } from './fault.js';

/** A fault that is one shell command on the node, undone by another (both run as root over SSH). */
export function commandFault(name: string, node: string, action: string, inject: string, revert: string): Fault {
  return {
    name,
    node,
    describe: () => `${action} on ${node}`,
    async inject(context) {
      await (await context.session(node)).execChecked(inject);
    },
    async revert(context) {
      await (await context.session(node)).execChecked(revert);
    },
  };
}
