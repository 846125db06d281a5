import type net from 'node:net';
import { LabError } from '../errors.js';
import { controlConnection } from '../uml/control-socket.js';

/**
 * One request on a lab sandbox's control socket (uml's holder or the libvirt lab's); a sandbox that
 * does not answer becomes an error naming it. Kept out of control-socket.ts, which the uml holder
 * takes with it and which therefore imports nothing of the project.
 */
export function sandboxConnection(socketPath: string, sandbox: string, request: object): Promise<net.Socket> {
  return controlConnection(socketPath, request).catch((cause: unknown) => {
    throw new LabError('SANDBOX_UNREACHABLE', `${sandbox} does not answer`, { cause, hint: 'restart the lab: npm run lab:down && npm run lab:up' });
  });
}
