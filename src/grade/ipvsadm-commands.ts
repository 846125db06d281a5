import type { Forwarding, IpvsServiceDef } from './ipvs-service.js';
import { numberOrUndefined } from './ipvs-service.js';
import type { NumberedLine } from './shell-segments.js';

/** An `ipvsadm -A/-E` (service) or `-a/-e` (real server) command line. */
export interface IpvsadmCommand {
  action: 'add-service' | 'edit-service' | 'add-server' | 'edit-server';
  protocol: 'tcp' | 'udp';
  service: string;
  realServer?: string;
  scheduler?: string;
  forwarding?: Forwarding;
  weight?: number;
  persistence?: number;
  line: number;
}

const ACTIONS: Record<string, IpvsadmCommand['action']> = {
  '-A': 'add-service', '--add-service': 'add-service', '-E': 'edit-service', '--edit-service': 'edit-service',
  '-a': 'add-server', '--add-server': 'add-server', '-e': 'edit-server', '--edit-server': 'edit-server',
};
const FORWARDING: Record<string, Forwarding> = {
  '-g': 'dr', '--gatewaying': 'dr', '-m': 'nat', '--masquerading': 'nat', '-i': 'tun', '--ipip': 'tun',
};

/**
 * Finds ipvsadm set-up commands in any line: with or without sudo or a prompt before them, in
 * a script, a Vagrantfile or a markdown block. Listing commands (-L, -S) are not set-up.
 */
export function parseIpvsadmLine(numbered: NumberedLine): IpvsadmCommand | undefined {
  const match = /(?:^|[\s;&|'"#$])ipvsadm\s+(.*)$/.exec(numbered.text);
  if (!match) return undefined;
  const words = match[1]!.replace(/[;&|].*$/, '').trim().split(/\s+/);
  let action: IpvsadmCommand['action'] | undefined;
  const command: Partial<IpvsadmCommand> = { protocol: 'tcp', line: numbered.line };
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    const next = words[index + 1];
    if (ACTIONS[word]) action = ACTIONS[word];
    else if (FORWARDING[word]) command.forwarding = FORWARDING[word];
    else if ((word === '-t' || word === '--tcp-service') && next) (command.service = next), index++;
    else if ((word === '-u' || word === '--udp-service') && next) (command.service = next), (command.protocol = 'udp'), index++;
    else if ((word === '-r' || word === '--real-server') && next) (command.realServer = next), index++;
    else if ((word === '-s' || word === '--scheduler') && next) (command.scheduler = next), index++;
    else if ((word === '-w' || word === '--weight') && next) (command.weight = numberOrUndefined(next) ?? 0), index++;
    else if (word === '-p' || word === '--persistent') {
      // -p takes an optional timeout; IPVS's default is 300 s.
      const timeout = numberOrUndefined(next);
      command.persistence = timeout ?? 300;
      if (timeout !== undefined) index++;
    }
  }
  if (!action || !command.service) return undefined;
  const { weight, ...rest } = command;
  return { ...rest, action, ...(weight !== undefined ? { weight } : {}) } as IpvsadmCommand;
}

/** Folds one host's (or one file's) commands into services, in order, as ipvsadm would apply them. */
export function servicesFromCommands(commands: IpvsadmCommand[], file: string, host?: string): IpvsServiceDef[] {
  const services = new Map<string, IpvsServiceDef>();
  for (const command of commands) {
    const key = `${command.protocol} ${command.service}`;
    const [address = '', portText] = splitEndpoint(command.service);
    let service = services.get(key);
    if (!service) {
      const port = numberOrUndefined(portText);
      service = { source: 'ipvsadm', file, line: command.line, protocol: command.protocol, address, realServers: [], ...(port !== undefined ? { port } : {}), ...(host ? { host } : {}) };
      services.set(key, service);
    }
    if (command.action === 'add-service' || command.action === 'edit-service') {
      if (command.scheduler) service.scheduler = command.scheduler;
      if (command.persistence !== undefined) service.persistence = command.persistence;
    } else if (command.realServer) {
      const [realAddress = '', realPortText] = splitEndpoint(command.realServer);
      const port = numberOrUndefined(realPortText) ?? service.port;
      const real = { address: realAddress, line: command.line, ...(port !== undefined ? { port } : {}), ...(command.forwarding ? { forwarding: command.forwarding } : {}), ...(command.weight !== undefined ? { weight: command.weight } : {}) };
      const existing = service.realServers.findIndex((server) => server.address === realAddress && server.port === port);
      if (existing >= 0) service.realServers[existing] = real;
      else service.realServers.push(real);
      // ipvsadm sets forwarding per real server; -g is its default.
      service.forwarding ??= command.forwarding ?? 'dr';
    }
  }
  return [...services.values()];
}

function splitEndpoint(text: string): [string, string | undefined] {
  const colon = text.lastIndexOf(':');
  return colon < 0 ? [text, undefined] : [text.slice(0, colon), text.slice(colon + 1)];
}
