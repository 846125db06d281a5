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

/**
 * A fault whose inject must land on time (its takeover bound is tight): a shell is started on the
 * node ahead of the instant and runs the inject, made of shell builtins, when the fault fires.
 */
export function armedCommandFault(name: string, node: string, action: string, inject: string, revert: string): Fault {
  let armed: { fire: () => Promise<unknown> } | undefined;
  return {
    ...commandFault(name, node, action, inject, revert),
    async prepare(context) {
      armed = await (await context.session(node)).armed(inject);
    },
    async inject(context) {
      if (armed) await armed.fire();
      else await (await context.session(node)).execChecked(inject);
    },
  };
}
