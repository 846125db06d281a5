import type { Duplex } from 'node:stream';

export interface HttpAnswer {
  status: number;
  body: string;
}

/**
 * One GET over a stream the caller opens (a TCP connection made inside the lab), one connection per
 * request, as IPVS balances connections. Deliberately not node:http: its agent could fall back to
 * connecting from the host's own namespace, and lab traffic must never leave the lab.
 */
export async function httpGet(openSocket: () => Promise<Duplex>, host: string, urlPath = '/', timeoutMs = 5_000): Promise<HttpAnswer> {
  const socket = await openSocket();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from ${host} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const match = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/.exec(text);
      const bodyAt = text.indexOf('\r\n\r\n');
      if (!match || bodyAt < 0) {
        reject(new Error(`no HTTP answer from ${host} (${text.length} bytes)`));
        return;
      }
      resolve({ status: Number(match[1]), body: text.slice(bodyAt + 4) });
    });
    socket.end(`GET ${urlPath} HTTP/1.0\r\nHost: ${host}\r\nUser-Agent: failover-lab\r\n\r\n`);
  });
}
