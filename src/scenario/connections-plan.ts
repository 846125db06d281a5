/** What the connections scenario records: plain data, judged by checks/connection-checks.ts and drawn by the reports. */

export interface ConnectionsPlan {
  /** Keep-alive connections held open at once. */
  connections: number;
  holdSeconds: number;
  /** IPVS's FIN_WAIT timeout for the run (`ipvsadm --set 0 S 0`); the node's own is restored after. */
  finTimeoutSeconds: number;
  sampleMs: number;
}

export const defaultConnectionsPlan: ConnectionsPlan = { connections: 20, holdSeconds: 6, finTimeoutSeconds: 10, sampleMs: 500 };

/** One reading of the master's IPVS, t on the orchestrator's clock (ms). */
export interface ConnectionsSample {
  t: number;
  /** `ipvsadm -Ln` over the VIP's real servers: every connection IPVS tracks, the scenario's and others. */
  activeConn: number;
  inActConn: number;
  perBackend: Record<string, { activeConn: number; inActConn: number }>;
  /** The scenario's own connections in `ipvsadm -Lnc`, by their client port: how many in each IPVS state. */
  ours: Record<string, number>;
}

export interface ConnectionsResult {
  runId: string;
  lab: string;
  scenario: 'connections';
  /** The balancer holding the VIP: the one whose IPVS sees the connections. */
  master: string;
  plan: ConnectionsPlan;
  /** `ipvsadm -l --timeout` before the run (restored after it) and during it. */
  timeouts: { node: { tcp: number; tcpfin: number; udp: number }; run: { tcp: number; tcpfin: number; udp: number } };
  /**
   * reusedEntry: IPVS still had an entry for this client port when the connection opened (an earlier
   * run's, kept for its tcpfin timeout): with conn_reuse_mode 1 a SYN matching a FIN_WAIT entry goes
   * on with that entry and its real server, so the scheduler was not asked.
   */
  connections: { clientPort: number; backend: string; reusedEntry?: { state: string; backend: string } }[];
  backends: string[];
  startedAt: number;
  openedAt: number;
  closedAt: number;
  endedAt: number;
  samples: ConnectionsSample[];
  /** `ipvsadm -Ln` text while the connections were held, and right after they closed, as a student would paste it. */
  listings: { held: string; closed: string };
}
