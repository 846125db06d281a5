import { setTimeout as sleep } from 'node:timers/promises';
import { LabError } from '../errors.js';
import { clientSocket, closeAll, openShell, type Closable } from '../lab/access.js';
import { scenarioConvergenceTimeoutMs, waitForConvergence } from '../lab/convergence.js';
import type { LabMeta, LabPaths } from '../lab/state.js';
import { openHeldConnection, type HeldConnection } from '../load/held-connection.js';
import { parseIpvsadmConnections, parseIpvsadmList, parseIpvsTimeouts } from '../parse/ipvsadm-list.js';
import type { NodeShell } from '../ssh/node-shell.js';
import { backends, balancers } from '../spec/types.js';
import type { Progress } from '../util/progress.js';
import { sleepUntil } from '../util/sleep-until.js';
import type { ConnectionsPlan, ConnectionsResult, ConnectionsSample } from './connections-plan.js';

const listingSeparator = '=== connection entries ===';

/**
 * Homework Q1 measured: N keep-alive connections held open through the VIP, then closed, while the
 * master's `ipvsadm -Ln` and `-Lnc` are sampled. ActiveConn counts IPVS's ESTABLISHED entries,
 * InActConn the others: the closed connections stay in FIN_WAIT until IPVS's tcpfin timeout.
 */
export async function runConnectionsScenario(paths: LabPaths, meta: LabMeta, plan: ConnectionsPlan, progress: Progress): Promise<ConnectionsResult> {
  const spec = meta.spec;
  const backendNames = Object.fromEntries(backends(spec).map((node) => [node.address, node.name]));
  // Samples go through one shell per balancer: an SSH exec per sample would start sshd's session each time.
  const shells = new Map<string, NodeShell>();
  const openedShells: Closable[] = [];
  const held: HeldConnection[] = [];
  const opened: ConnectionsResult['connections'] = [];
  const samples: ConnectionsSample[] = [];
  const startedAt = Date.now();
  try {
    const master = await progress.step('finding the VIP holder', async () => {
      for (const node of balancers(spec)) shells.set(node.name, await openShell(paths, meta, node.name, openedShells));
      const probes = await waitForConvergence(spec, shells, scenarioConvergenceTimeoutMs, (node) => openShell(paths, meta, node, openedShells));
      const holder = [...probes].find(([, probe]) => probe.holdsVip)?.[0];
      if (!holder) throw new LabError('VIP_NOT_HELD', 'no balancer holds the VIP', { hint: 'npm run lab:status' });
      return holder;
    });
    const ssh = shells.get(master)!;
    const nodeTimeouts = parseIpvsTimeouts((await ssh.execChecked('ipvsadm -l --timeout')).stdout);
    const ports = new Set<number>();
    const sample = async (): Promise<{ list: string; entries: ReturnType<typeof parseIpvsadmConnections> }> => {
      const text = (await ssh.execChecked(`ipvsadm -Ln; echo '${listingSeparator}'; ipvsadm -Lnc`)).stdout;
      const [list = '', table = ''] = text.split(`${listingSeparator}\n`);
      const service = parseIpvsadmList(list).find((svc) => svc.address === spec.vip.address && svc.port === spec.service.port);
      const ours: Record<string, number> = {};
      const entries = parseIpvsadmConnections(table);
      for (const entry of entries) {
        if (entry.virtual.address === spec.vip.address && ports.has(entry.client.port)) ours[entry.state] = (ours[entry.state] ?? 0) + 1;
      }
      const servers = service?.realServers ?? [];
      samples.push({
        t: Date.now(),
        activeConn: servers.reduce((sum, server) => sum + server.activeConn, 0),
        inActConn: servers.reduce((sum, server) => sum + server.inActConn, 0),
        perBackend: Object.fromEntries(servers.map((server) => [backendNames[server.address] ?? server.address, { activeConn: server.activeConn, inActConn: server.inActConn }])),
        ours,
      });
      return { list, entries };
    };
    const sampleFor = async (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const started = Date.now();
        await sample();
        await sleepUntil(started + plan.sampleMs);
      }
    };

    try {
      await ssh.execChecked(`ipvsadm --set 0 ${plan.finTimeoutSeconds} 0`);
      const runTimeouts = parseIpvsTimeouts((await ssh.execChecked('ipvsadm -l --timeout')).stdout);
      // Entries IPVS still has for the VIP (earlier runs' connections in FIN_WAIT), by client port.
      const entriesBefore = new Map(
        (await sample()).entries
          .filter((entry) => entry.virtual.address === spec.vip.address && entry.virtual.port === spec.service.port)
          .map((entry) => [entry.client.port, { state: entry.state, backend: backendNames[entry.destination.address] ?? entry.destination.address }]),
      );
      const openSocket = clientSocket(paths, meta, spec.vip.address, spec.service.port);
      const openedAt = await progress.step(`opening ${plan.connections} keep-alive connections to ${spec.vip.address}:${spec.service.port}`, async () => {
        for (let index = 0; index < plan.connections; index += 1) {
          const connection = await openHeldConnection(openSocket, spec.vip.address);
          held.push(connection);
          const reusedEntry = entriesBefore.get(connection.clientPort);
          opened.push({ clientPort: connection.clientPort, backend: connection.backend, ...(reusedEntry ? { reusedEntry } : {}) });
          ports.add(connection.clientPort);
        }
        return Date.now();
      });
      const heldListing = await progress.step(`holding them for ${plan.holdSeconds} s, sampling ${master}'s IPVS every ${plan.sampleMs} ms`, async () => {
        await sampleFor(plan.holdSeconds * 1000);
        return (await sample()).list;
      });
      const closedAt = await progress.step('closing them', async () => {
        await Promise.all(held.splice(0).map((connection) => connection.close()));
        return Date.now();
      });
      await sleep(plan.sampleMs);
      const closedListing = (await sample()).list;
      await progress.step(`watching IPVS forget them (tcpfin ${plan.finTimeoutSeconds} s)`, async () => {
        const deadline = closedAt + (plan.finTimeoutSeconds + 5) * 1000;
        while (Date.now() < deadline) {
          await sampleFor(plan.sampleMs);
          const last = samples.at(-1)!;
          if (Object.keys(last.ours).length === 0 && last.t > closedAt + plan.finTimeoutSeconds * 1000) break;
        }
      });
      return {
        runId: `${new Date(startedAt).toISOString().replace(/[:.]/g, '-')}-${spec.name}-connections`,
        lab: spec.name,
        scenario: 'connections',
        master,
        plan,
        timeouts: { node: nodeTimeouts, run: runTimeouts },
        connections: opened,
        backends: Object.values(backendNames),
        startedAt,
        openedAt,
        closedAt,
        endedAt: Date.now(),
        samples,
        listings: { held: heldListing, closed: closedListing },
      };
    } finally {
      await Promise.all(held.map((connection) => connection.close()));
      // The node's own timeouts come back whatever happened.
      await ssh.execChecked(`ipvsadm --set ${nodeTimeouts.tcp} ${nodeTimeouts.tcpfin} ${nodeTimeouts.udp}`).catch(() => undefined);
    }
  } finally {
    closeAll(openedShells);
  }
}
