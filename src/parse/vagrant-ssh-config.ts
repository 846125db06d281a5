/** One `Host` block of `vagrant ssh-config`: what an ssh client needs to reach that machine. */
export interface SshConfigEntry {
  host: string;
  hostName: string;
  port: number;
  user: string;
  identityFiles: string[];
}

/**
 * Parses `vagrant ssh-config` (OpenSSH client config syntax, as Vagrant writes it): keywords are
 * case-insensitive, values may be double-quoted (Vagrant quotes key paths with spaces).
 */
export function parseSshConfig(output: string): SshConfigEntry[] {
  const entries: SshConfigEntry[] = [];
  let current: Partial<SshConfigEntry> & { identityFiles: string[] } | undefined;
  const finish = () => {
    if (!current?.host) return;
    if (!current.hostName || !current.port || !current.user) {
      throw new Error(`vagrant ssh-config: the block for ${current.host} lacks HostName, Port or User`);
    }
    entries.push({ host: current.host, hostName: current.hostName, port: current.port, user: current.user, identityFiles: current.identityFiles });
  };
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(\S+)\s*(?:=\s*|\s)\s*(.*)$/.exec(line);
    if (!match) continue;
    const keyword = (match[1] ?? '').toLowerCase();
    const rawValue = (match[2] ?? '').trim();
    const value = rawValue.startsWith('"') && rawValue.endsWith('"') && rawValue.length >= 2 ? rawValue.slice(1, -1) : rawValue;
    if (keyword === 'host') {
      finish();
      current = { host: value, identityFiles: [] };
    } else if (current) {
      if (keyword === 'hostname') current.hostName = value;
      else if (keyword === 'port') current.port = Number(value);
      else if (keyword === 'user') current.user = value;
      else if (keyword === 'identityfile') current.identityFiles.push(value);
    }
  }
  finish();
  return entries;
}
