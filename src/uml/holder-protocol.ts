/** Requests to the sandbox holder's control socket: one JSON line, then either a JSON reply or a raw TCP stream. */
export type HolderRequest =
  | { op: 'status' }
  /** Opens a TCP connection from inside the lab (from the client address on the lab network when to a lab host) and pipes it. */
  | { op: 'connect'; host: string; port: number };

export interface NodeProcessStatus {
  name: string;
  pid: number | undefined;
  running: boolean;
  exitCode: number | null;
  signal: string | null;
}

export interface HolderStatus {
  lab: string;
  startedAt: string;
  nodes: NodeProcessStatus[];
}
