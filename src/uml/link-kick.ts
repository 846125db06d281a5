/**
 * A work-around for a lost wake-up in User-Mode Linux's interrupt emulation (Debian's 6.1): uml learns
 * that a link's socket is readable from an edge-triggered epoll, in a SIGIO handler that keeps the
 * events in one global array. Softirqs run with signals on, so a nested handler can refill that array
 * while the outer one still walks it; an event overwritten before it was handled is gone, and the
 * packet it announced stays unread until the next packet arrives on that link. Measured here: a
 * master forwarding the load left one SSH segment unread on its management link for 1.8 and 4.3 s,
 * until the host's TCP sent it again. A small broadcast on every lab bridge a few times a second is
 * that next packet, so no such stall outlasts its period. (Imports only node:, as the holder does.)
 */
import dgram from 'node:dgram';

/** UDP's discard port: the nodes listen on nothing there and answer nothing to a broadcast. */
const discardPort = 9;
const payload = Buffer.from('failover-lab: wake-up for uml links\n');

/** Sends the wake-up to each bridge's broadcast address every periodMs, for as long as the holder lives. */
export function kickLinks(targets: readonly string[], periodMs: number, log: (line: string) => void): void {
  const socket = dgram.createSocket('udp4');
  let failed = false;
  socket.on('error', (error) => log(`link wake-up socket: ${error.message}`));
  socket.bind(() => socket.setBroadcast(true));
  setInterval(() => {
    for (const target of targets) {
      socket.send(payload, discardPort, target, (error) => {
        // Said once: a bridge that cannot be reached now is reported, not logged four times a second.
        if (error && !failed) log(`link wake-up to ${target} failed: ${error.message}`);
        failed ||= Boolean(error);
      });
    }
  }, periodMs);
}
