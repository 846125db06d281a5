/**
 * A holder's control socket (imports nothing but node: and its siblings: the uml holder is copied
 * out of the checkout): one JSON request line, then a JSON answer or a raw TCP stream relayed into
 * the lab's network. Shared by the uml sandbox's holder and the libvirt lab's.
 */
import { rmSync } from 'node:fs';
import net from 'node:net';
import { connectRefusal } from './lab-networks.js';

/** Serves requests on a Unix socket; `rest` is what the client sent after its request line. */
export function serveControlSocket(socketPath: string, onRequest: (request: { op?: unknown; host?: unknown; port?: unknown }, client: net.Socket, rest: Buffer) => void): net.Server {
  rmSync(socketPath, { force: true });
  // Half-open sockets: a client may send its request and FIN before the answer comes back.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      client.off('data', onData);
      client.pause(); // hold further bytes until the upstream connection can take them
      const rest = Buffer.from(buffer.slice(newline + 1), 'latin1');
      let request: { op?: unknown; host?: unknown; port?: unknown };
      try {
        request = JSON.parse(buffer.slice(0, newline)) as typeof request;
      } catch {
        client.end('{"error":"bad request"}\n');
        return;
      }
      onRequest(request, client, rest);
    };
    client.on('data', onData);
    client.on('error', () => undefined);
  });
  server.listen(socketPath);
  return server;
}

/** Opens host:port from inside the lab (only to the lab's networks) and pipes it to the client. */
export function relayConnection(client: net.Socket, target: { host?: unknown; port?: unknown }, rest: Buffer, networks: readonly string[], log: (line: string) => void): void {
  // Checked before anything is opened: a refused request never reaches the network.
  const refusal = connectRefusal(target.host, target.port, networks);
  if (refusal) {
    log(`refused a connection: ${refusal}`);
    client.end(`${JSON.stringify({ error: `refused: ${refusal}` })}\n`);
    return;
  }
  const upstream = net.connect({ host: target.host as string, port: target.port as number, allowHalfOpen: true });
  upstream.once('connect', () => {
    if (rest.length > 0) upstream.write(rest);
    client.pipe(upstream).pipe(client);
  });
  // The client sees only a closed stream ("Connection lost before handshake"): the log keeps why.
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    log(`connection to ${String(target.host)}:${String(target.port)} failed: ${error.code ?? error.message}`);
    client.destroy();
  });
  client.on('error', () => upstream.destroy());
}

/**
 * The client side: connects to a holder's socket and sends one request line. The caller turns a
 * failure into its own error (this module stays free of the project's imports).
 */
export function controlConnection(socketPath: string, request: object): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.write(`${JSON.stringify(request)}\n`);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
