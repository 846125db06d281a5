import type { VirtualServer } from './keepalived-model.js';

/** IPVS forwarding as ipvsadm names it: -g direct routing, -m NAT, -i tunnel. */
export type Forwarding = 'dr' | 'nat' | 'tun';

export interface IpvsRealServerDef {
  address: string;
  port?: number;
  forwarding?: Forwarding;
  weight?: number;
  line: number;
}

/** One IPVS service as the submission sets it up, whichever way it was written. */
export interface IpvsServiceDef {
  source: 'ipvsadm' | 'virtual_server' | 'listing';
  file: string;
  line: number;
  /** The balancer the prompt or caption names, when one does. */
  host?: string;
  protocol: 'tcp' | 'udp';
  address: string;
  port?: number;
  scheduler?: string;
  forwarding?: Forwarding;
  /** Seconds, when the service is persistent (ipvsadm -p, persistence_timeout). */
  persistence?: number;
  realServers: IpvsRealServerDef[];
}

/** keepalived's forwarding names (lb_kind/lvs_method): NAT, DR, TUN. */
export function forwardingFromKeepalived(value: string | undefined): Forwarding | undefined {
  const upper = value?.toUpperCase();
  return upper === 'DR' ? 'dr' : upper === 'NAT' ? 'nat' : upper === 'TUN' ? 'tun' : undefined;
}

export function serviceFromVirtualServer(server: VirtualServer, file: string): IpvsServiceDef {
  const forwarding = forwardingFromKeepalived(server.forwarding?.value);
  const port = numberOrUndefined(server.port);
  const persistence = numberOrUndefined(server.persistenceTimeout?.value);
  return {
    source: 'virtual_server',
    file,
    line: server.line,
    protocol: server.protocol?.value.toLowerCase() === 'udp' ? 'udp' : 'tcp',
    address: server.address,
    ...(port !== undefined ? { port } : {}),
    ...(server.scheduler ? { scheduler: server.scheduler.value } : {}),
    ...(forwarding ? { forwarding } : {}),
    // keepalived: persistence_timeout without a value means 6 minutes (IPVS's default).
    ...(server.persistenceTimeout ? { persistence: persistence ?? 360 } : {}),
    realServers: server.realServers.map((real) => {
      const realPort = numberOrUndefined(real.port);
      const weight = numberOrUndefined(real.weight?.value);
      return { address: real.address, line: real.line, ...(realPort !== undefined ? { port: realPort } : {}), ...(weight !== undefined ? { weight } : {}) };
    }),
  };
}

export function numberOrUndefined(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}
