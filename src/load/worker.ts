/**
 * The load generator, run where the lab's client is (uml: inside the lab's network namespace, via
 * nsenter; vagrant: on the host, on the host-only network), so its traffic goes only to lab
 * addresses: autocannon against the VIP, one JSON record per answered or failed request on stdout.
 * The backend that answered is read from the page (each backend serves its own name).
 * A line "finish" on stdin ends the load early, as if its duration were up.
 * Usage: node worker.js '<LoadRequest JSON>'
 */
import autocannon from 'autocannon';
import httpParser from 'http-parser-js';
import type { LoadRecord, LoadRequest } from './protocol.js';

const { HTTPParser } = httpParser;
const request = JSON.parse(process.argv[2] ?? '{}') as LoadRequest;
const emit = (record: LoadRecord) => process.stdout.write(`${JSON.stringify(record)}\n`);

type ParserHook = (...args: unknown[]) => unknown;
interface AutocannonClient extends NodeJS.EventEmitter {
  parser: Record<number, ParserHook>;
  /** The URL autocannon gave this client (of several, client i gets the (i mod n)-th). */
  opts: { hostname: string };
}

let sent = 0;
let answered = 0;
let failed = 0;
const hosts = request.hosts ?? [request.host];
// Each VIP's own counts, when there are several.
const perVip = new Map(hosts.map((host) => [host, { sent: 0, answered: 0, failed: 0, unfinished: 0 }]));
const latencies: number[] = [];
const hostOf = new Map<number, string>(); // connection → its VIP
const pendingBy = new Map<number, number>(); // connection → when its unanswered request was written

/**
 * Follows one autocannon client. autocannon's own 'response' event is not used: with reconnectRate
 * (a new connection per request) it is never emitted, so the parser's callbacks are wrapped instead.
 */
function follow(client: AutocannonClient, connection: number): void {
  let status = 0;
  let body = '';
  const host = client.opts.hostname;
  hostOf.set(connection, host);
  const counts = perVip.get(host) ?? { sent: 0, answered: 0, failed: 0, unfinished: 0 };
  const vip = hosts.length > 1 ? { vip: host } : {};
  const fail = (error: string) => {
    if (!pendingBy.has(connection)) return;
    pendingBy.delete(connection);
    failed += 1;
    counts.failed += 1;
    emit({ type: 'failed', t: Date.now(), connection, error, ...vip });
  };
  const hook = (slot: number, before: ParserHook) => {
    const original = client.parser[slot];
    client.parser[slot] = (...args: unknown[]) => {
      before(...args);
      return original?.(...args);
    };
  };
  let hooked = false;
  client.on('request', () => {
    // The parser's callbacks exist only once the client is constructed, i.e. by its first request.
    if (!hooked) {
      hooked = true;
      hook(HTTPParser.kOnHeadersComplete, (info) => {
        status = (info as { statusCode: number }).statusCode;
        body = '';
      });
      hook(HTTPParser.kOnBody, (chunk, start, length) => {
        body += (chunk as Buffer).toString('utf8', start as number, (start as number) + (length as number));
      });
      hook(HTTPParser.kOnMessageComplete, () => {
        const startedAt = pendingBy.get(connection);
        if (startedAt === undefined) return;
        pendingBy.delete(connection);
        answered += 1;
        counts.answered += 1;
        const now = Date.now();
        latencies.push(now - startedAt);
        emit({ type: 'response', t: now, connection, status, latencyMs: now - startedAt, backend: body.trim(), ...vip });
      });
    }
    // With one request at a time per connection, a request still pending here got no answer: its
    // connection timed out or was closed (autocannon reconnects before it reports a timeout).
    fail('no answer (timeout or connection closed)');
    sent += 1;
    counts.sent += 1;
    pendingBy.set(connection, Date.now());
  });
  client.on('connError', (error: Error & { code?: string }) => fail(error.code ?? error.message));
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

let nextConnection = 0;
const startedAt = Date.now();
emit({ type: 'started', t: startedAt });
let endedEarly = false;
let done = false;
const instance = autocannon(
  {
    // autocannon takes several URLs and spreads its clients over them; its types name only one.
    url: hosts.map((host) => `http://${host}:${request.port}/`) as unknown as string,
    connections: request.connections,
    overallRate: request.rate,
    duration: request.durationSeconds,
    timeout: request.timeoutSeconds,
    pipelining: 1,
    // A fresh TCP connection for every request, as the seed's curl loop: IPVS balances connections.
    reconnectRate: request.mode === 'new-connection' ? 1 : undefined,
    setupClient: (client: unknown) => follow(client as AutocannonClient, nextConnection++),
  },
  (error: Error | null) => {
    if (error) {
      process.stderr.write(`autocannon failed: ${error.message}\n`);
      process.exit(1);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    // Ended early by "finish": the seconds it ran, to a tenth.
    const ranSeconds = endedEarly ? Math.min(request.durationSeconds, Math.max(0.1, Math.round((Date.now() - startedAt) / 100) / 10)) : request.durationSeconds;
    for (const [connection] of pendingBy) {
      const counts = perVip.get(hostOf.get(connection) ?? '');
      if (counts) counts.unfinished += 1;
    }
    emit({
      type: 'summary',
      summary: {
        mode: request.mode,
        connections: request.connections,
        rate: request.rate,
        durationSeconds: ranSeconds,
        sent,
        answered,
        failed,
        unfinished: pendingBy.size,
        requestsPerSecond: Math.round((answered / ranSeconds) * 10) / 10,
        latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 },
        ...(hosts.length > 1 ? { perVip: Object.fromEntries(perVip) } : {}),
      },
    });
  },
);
// The summary is written synchronously (stdout is a pipe on Linux); stdin kept open would hold the process.
instance.on('done', () => {
  done = true;
  setImmediate(() => process.stdin.destroy());
});
const finish = () => {
  if (done || endedEarly) return;
  endedEarly = true;
  instance.stop();
};
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (chunk.includes('finish')) finish();
});
