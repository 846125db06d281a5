/**
 * `vagrant ... --machine-readable` output: one record per line, `timestamp,target,type,data...`.
 * Vagrant escapes commas inside data as `%!(VAGRANT_COMMA)` and newlines as `\n`.
 */
export interface MachineRecord {
  timestamp: number;
  target: string;
  type: string;
  data: string[];
}

function unescapeField(field: string): string {
  return field.replaceAll('%!(VAGRANT_COMMA)', ',').replaceAll('\\n', '\n').replaceAll('\\r', '\r');
}

export function parseMachineReadable(output: string): MachineRecord[] {
  const records: MachineRecord[] = [];
  for (const line of output.split('\n')) {
    const fields = line.trimEnd().split(',');
    const [timestamp, target, type, ...data] = fields;
    if (!timestamp || !/^\d+$/.test(timestamp) || type === undefined) continue; // not a record (e.g. a plugin's stray output)
    records.push({ timestamp: Number(timestamp), target: target ?? '', type, data: data.map(unescapeField) });
  }
  return records;
}

export interface MachineState {
  name: string;
  provider?: string;
  /** Vagrant's state id: running, poweroff, not_created, saved, aborted... */
  state: string;
  /** Vagrant's short wording, e.g. "not created". */
  description: string;
}

/** The machines `vagrant status --machine-readable` reports, in its order. */
export function machineStates(records: MachineRecord[]): MachineState[] {
  const machines = new Map<string, MachineState>();
  for (const record of records) {
    if (!record.target) continue;
    const machine = machines.get(record.target) ?? { name: record.target, state: 'unknown', description: 'unknown' };
    const [value] = record.data;
    if (record.type === 'provider-name') machine.provider = value;
    else if (record.type === 'state' && value) machine.state = value;
    else if (record.type === 'state-human-short' && value) machine.description = value;
    else continue;
    machines.set(record.target, machine);
  }
  return [...machines.values()];
}

/** Vagrant's own message when a command failed (`error-exit` record), if it gave one. */
export function errorExit(records: MachineRecord[]): { kind: string; message: string } | undefined {
  const record = records.find((candidate) => candidate.type === 'error-exit');
  if (!record) return undefined;
  const [kind = 'error', ...message] = record.data;
  return { kind, message: message.join(',').trim() };
}
