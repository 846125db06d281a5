import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedBoxImage } from '../box/image.js';
import { sandboxUid } from '../uml/sandbox.js';

/** What `keepalived -t` said of one config, and how it exited. */
export interface KeepalivedCheckRun {
  output: string;
  code: number;
}

/** The balancer a config is checked for: keepalived -t wants its interfaces to exist. */
export interface CheckedNode {
  interfaceName: string;
  address: string;
  prefix: number;
}

export type KeepalivedChecker = (configText: string, node: CheckedNode) => KeepalivedCheckRun;

const checkerDirName = 'keepalived-check';
/** One run's wall-clock limit: keepalived -t parses and exits in ~40 ms. */
const checkTimeoutMs = 5_000;

/**
 * keepalived's own parser, without a lab: the node image's keepalived binary and libraries, taken
 * out of the image once with debugfs (no mount, no root needed to read them afterwards), run by its
 * own dynamic loader. Undefined when no image is cached yet, or the tree cannot be made (then the
 * lab stage's keepalived -t is the only one).
 */
export function hostKeepalivedChecker(): KeepalivedChecker | undefined {
  const image = cachedBoxImage();
  if (!image) return undefined;
  const tree = path.join(path.dirname(image), checkerDirName);
  if (!existsSync(path.join(tree, 'keepalived')) && !extractChecker(image, tree)) return undefined;
  return (configText, node) => runCheck(tree, configText, node);
}

function extractChecker(image: string, tree: string): boolean {
  let work: string | undefined;
  try {
    work = mkdtempSync(`${tree}.extracting-`);
    mkdirSync(path.join(work, 'lib'));
    for (const [from, to] of [['/usr/sbin/keepalived', work], ['/usr/lib/x86_64-linux-gnu', path.join(work, 'lib')]] as const) {
      const dumped = spawnSync('debugfs', ['-R', `rdump ${from} ${to}`, image], { encoding: 'utf8', timeout: 60_000 });
      if (dumped.status !== 0) return false;
    }
    if (!existsSync(path.join(work, 'keepalived')) || !existsSync(path.join(work, 'lib', 'x86_64-linux-gnu', 'ld-linux-x86-64.so.2'))) return false;
    chmodSync(work, 0o755);
    renameSync(work, tree);
    work = undefined;
    return true;
  } catch {
    // Another grader may have put its tree there first; else e.g. a cache this user cannot write,
    // and the lab's keepalived -t is the only one.
    return existsSync(path.join(tree, 'keepalived'));
  } finally {
    if (work) rmSync(work, { recursive: true, force: true });
  }
}

/**
 * One `keepalived -t` in a network namespace of its own, as the sandbox's unprivileged user, with an
 * interface named and addressed as the balancer's lab interface (a bridge: the lab needs the bridge
 * module anyway, while dummy may not be loaded and a user namespace cannot load it): what
 * keepalived checks of the node, and nothing of the host's.
 */
function runCheck(tree: string, configText: string, node: CheckedNode): KeepalivedCheckRun {
  const work = mkdtempSync(path.join(os.tmpdir(), 'failover-lab-keepalived-t-'));
  try {
    chmodSync(work, 0o755);
    const config = path.join(work, 'keepalived.conf');
    writeFileSync(config, configText, { mode: 0o644 });
    const libs = path.join(tree, 'lib', 'x86_64-linux-gnu');
    const script = [
      'ip link add "$1" type bridge && ip addr add "$2" dev "$1" && ip link set "$1" up || exit 90',
      'exec "$3" --library-path "$4" "$5" -t -f "$6" -l -D -n',
    ].join('\n');
    const uid = sandboxUid();
    const dropRoot = uid === undefined ? [] : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--inh-caps=-all'];
    const command = [...dropRoot, 'unshare', '--user', '--map-root-user', '--net', 'sh', '-c', script, 'keepalived-t', node.interfaceName, `${node.address}/${node.prefix}`, path.join(libs, 'ld-linux-x86-64.so.2'), libs, path.join(tree, 'keepalived'), config];
    const ran = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', cwd: work, timeout: checkTimeoutMs, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' } });
    const output = `${ran.stdout ?? ''}${ran.stderr ?? ''}`.split(config).join('keepalived.conf');
    return { output, code: ran.status ?? -1 };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
