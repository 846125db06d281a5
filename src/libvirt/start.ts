import path from 'node:path';
import { ensureLibvirtBox } from '../box/libvirt-box.js';
import { applyCpuLimit, inLabCgroups } from '../host/cpu-limit.js';
import type { LabPaths } from '../lab/state.js';
import type { CpuPriority } from '../provider/provider.js';
import type { LabSpec } from '../spec/types.js';
import type { Progress } from '../util/progress.js';
import { placeBoxInPool } from './box-volume.js';
import { startLibvirtDaemon } from './daemon.js';
import { writeLibvirtEngine, type LibvirtEngine } from './engine.js';
import { ensureLibvirtPackages, kvmWorks } from './host.js';
import { libvirtPlan } from './plan.js';

/** Everything a Vagrant lab on libvirt needs before `vagrant up`: packages, the box, the lab's own daemon (in the lab's cgroup at `priority`). */
export async function prepareLibvirtLab(spec: LabSpec, paths: LabPaths, progress: Progress, priority: CpuPriority = 'foreground'): Promise<LibvirtEngine> {
  await ensureLibvirtPackages(progress);
  const box = await ensureLibvirtBox(progress);
  const lab = path.basename(paths.dir);
  const engine: LibvirtEngine = {
    plan: libvirtPlan(paths, lab, `${spec.lab.subnet}/${spec.lab.prefix}`),
    box: box.name,
    vagrantHome: box.vagrantHome,
    driver: (await kvmWorks(box.kernel)) ? 'kvm' : 'qemu',
    prefix: `failover-lab-${lab}-`,
  };
  // Before the daemon: lab:down must find the namespaces whatever happens next.
  writeLibvirtEngine(paths, engine);
  placeBoxInPool(box, engine.plan.images);
  // Weighed, not capped: these are the user's own VMs (no submission's code runs on libvirt labs).
  // Its cgroup only: where there is none (nice), libvirt's VMs run as any process.
  applyCpuLimit(lab, priority);
  const inCgroup = inLabCgroups(lab);
  const weighed = priority === 'background' && inCgroup.length > 0 ? ', at background CPU priority' : '';
  await progress.step(`starting the lab's libvirt daemon (${engine.driver === 'kvm' ? 'KVM' : "qemu's software emulation"}${weighed})`, () => startLibvirtDaemon(engine.plan, inCgroup));
  return engine;
}
