import type { Duplex } from 'node:stream';
import { LabError } from '../errors.js';

/** A keep-alive connection through the VIP that has had one answer and stays open until closed. */
export interface HeldConnection {
  /** The client's source port, as the backend saw it (nginx's X-Client-Port): its key in `ipvsadm -Lnc`. */
  clientPort: number;
  /** The page's text: the backend's name. */
  backend: string;
  /** Closes the client's side (a FIN) and resolves when the connection is closed or after 2 s. */
  close(): Promise<void>;
}

/**
 * Opens a connection inside the lab (openSocket, as the load generator's streams), asks one HTTP/1.1
 * GET with keep-alive and keeps the connection open once the whole answer is in.
 */
export async function openHeldConnection(openSocket: () => Promise<Duplex>, host: string, timeoutMs = 5_000): Promise<HeldConnection> {
  const socket = await openSocket();
  let received = Buffer.alloc(0);
  const answer = await new Promise<{ clientPort: number; backend: string }>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new LabError('HELD_CONNECTION_FAILED', `a keep-alive connection to ${host}: ${why}`, { hint: 'is the lab up? npm run lab:status' }));
    };
    const timer = setTimeout(() => fail(`no whole answer within ${timeoutMs} ms`), timeoutMs);
    socket.on('error', (error) => fail(error.message));
    socket.on('close', () => fail('closed before its answer'));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = received.subarray(0, headEnd).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? Number.NaN);
      if (!(received.length >= headEnd + 4 + length)) return;
      clearTimeout(timer);
      socket.removeAllListeners('close');
      socket.removeAllListeners('error');
      socket.on('error', () => undefined); // a reset while held shows in IPVS's table, not as a crash
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
      const port = Number(/\r\nx-client-port:\s*(\d+)/i.exec(head)?.[1]);
      if (status !== '200' || !(port > 0)) {
        fail(`answer ${status ?? '(none)'}${port > 0 ? '' : ' without X-Client-Port (provision/common.sh sets it on every node)'}`);
        return;
      }
      resolve({ clientPort: port, backend: received.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8').trim() });
    });
    socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: failover-lab\r\nConnection: keep-alive\r\n\r\n`);
  });
  return {
    ...answer,
    close: () =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          socket.destroy();
          resolve();
        }, 2_000);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.resume(); // read the server's FIN so the close completes
        socket.end();
      }),
  };
}
