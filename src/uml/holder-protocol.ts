/** Requests to the sandbox holder's control socket: one JSON line, then either a JSON reply or a raw TCP stream. */
export type HolderRequest =
  | { op: 'status' }
  /** Opens a TCP connection from inside the lab (from the client address on the lab network when to a lab host) and pipes it. */
  | { op: 'connect'; host: string; port: number }
  /** Kills a node's VM, keeps its console log as console.N.log, boots it again from a fresh COW disk; answers with a status. */
  | { op: 'restart'; node: string };

export interface NodeProcessStatus {
  name: string;
  pid: number | undefined;
  running: boolean;
  exitCode: number | null;
  signal: string | null;
  /** How many times the node was booted again with a fresh disk. */
  restarts: number;
}

export interface HolderStatus {
  lab: string;
  startedAt: string;
  nodes: NodeProcessStatus[];
}
