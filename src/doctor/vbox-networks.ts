import { cidrContains, formatIpv4, parseCidr, type Cidr } from '../spec/ipv4.js';

/**
 * VirtualBox 6.1.28 and later let host-only networks use only the ranges that
 * /etc/vbox/networks.conf allows (Linux, macOS, Solaris); without that file, only 192.168.56.0/21.
 * The file holds lines like `* 10.0.0.0/8 192.168.0.0/16` (IPv6 ranges may follow too).
 */
export const defaultHostOnlyRanges = ['192.168.56.0/21'];
export const networksConfPath = '/etc/vbox/networks.conf';

/** The IPv4 ranges a networks.conf allows; undefined content means the file does not exist. */
export function allowedHostOnlyRanges(content: string | undefined): string[] {
  if (content === undefined) return defaultHostOnlyRanges;
  const ranges: string[] = [];
  for (const line of content.split('\n')) {
    const words = line.replace(/#.*/, '').trim().split(/\s+/);
    if (words[0] !== '*') continue;
    ranges.push(...words.slice(1).filter((word) => parseCidr(word) !== undefined));
  }
  return ranges;
}

/** True when a whole subnet lies inside one of the ranges. */
export function subnetAllowed(subnet: Cidr, ranges: string[]): boolean {
  const size = 2 ** (32 - subnet.prefix);
  const first = subnet.network - (subnet.network % size);
  return ranges.some((text) => {
    const range = parseCidr(text);
    return range !== undefined && range.prefix <= subnet.prefix && cidrContains(range, first);
  });
}

/**
 * The shell line that allows the subnet. Creating the file replaces the built-in default, so a new
 * file also keeps 192.168.56.0/21 (other VirtualBox labs on the machine rely on it).
 */
export function networksConfFix(subnet: Cidr, fileExists: boolean): string {
  const cidr = `${formatIpv4(subnet.network)}/${subnet.prefix}`;
  const line = fileExists ? `* ${cidr}` : `* ${cidr} ${defaultHostOnlyRanges.join(' ')}`;
  return `sudo mkdir -p /etc/vbox && echo '${line}' | sudo tee -a ${networksConfPath}`;
}

/** VirtualBox versions before 6.1.28 had no such rule. */
export function hasHostOnlyRangeRule(version: string): boolean {
  const [major = 0, minor = 0, patch = 0] = version.split(/[.r_-]/).map((part) => Number.parseInt(part, 10) || 0);
  return major > 6 || (major === 6 && (minor > 1 || (minor === 1 && patch >= 28)));
}
