import { LabError } from '../errors.js';
import { cidrContains, formatIpv4, isNetworkOrBroadcast, parseCidr, parseIpv4 } from '../spec/ipv4.js';
import { linkDownExpectation } from '../checks/fault-expectation.js';
import { firstSynRetryAfter } from '../checks/vrrp-timing.js';
import { seedScenario, vrrpParameters, type ScenarioPlan } from '../scenario/run.js';
import type { LabNode, LabSpec } from '../spec/types.js';
import type { RoleAssignment } from './roles.js';
import type { StaticResult } from './static-stage.js';
import { ipvsRulesFrom } from './lab-ipvs-rules.js';
import { foreseenFailures } from './second-run.js';
import type { CriterionId } from './types.js';
import { mainService } from './topology.js';

/** A lab spec for one submission, the scenario to run in it, and what the grader decided to build it (said in the feedback). */
export interface SubmissionLab {
  spec: LabSpec;
  plan: ScenarioPlan;
  notes: string[];
  /** Lab criteria its configs fail on every run (a persistent service: balanced), with why: no second run for them. */
  foreseen: { criterion: CriterionId; why: string }[];
}

/**
 * The longest the grader waits after the revert for a returning master's health checkers: longer
 * checker cycles (keepalived's default delay_loop is 60 s) are reported as no answers after failback.
 */
const MAX_CHECKER_WAIT_SECONDS = 20;
/** Seconds of answers to see after the checkers' recovery bound, or after the failback bound. */
const ANSWERS_AFTER_RECOVERY_SECONDS = 2;
/** Load before the fault: ~400 answers at the grading rate, to judge the balance by. */
const GRADING_BEFORE_FAULT_SECONDS = 4;
/** IPVS's counters, as ipvsadm shows them, are summed by its 2-s estimator. */
const IPVS_ESTIMATOR_SECONDS = 2;

/** Management networks to choose from when the student's own network overlaps the seed's. */
const MANAGEMENT_CANDIDATES = ['10.99.0.0/24', '10.199.0.0/24', '192.168.199.0/24'];

/**
 * The seed lab rebuilt around a submission: its addresses, VIP, interface, VRRP instance and
 * priorities, and each balancer's keepalived.conf exactly as the student wrote it. Backends keep
 * the seed's nginx pages. IPVS comes from one place only: the student's virtual_server blocks, or
 * else their ipvsadm commands, or else the `ipvsadm -Ln` listing they showed, or else the seed's.
 */
export function labSpecFromSubmission(seed: LabSpec, result: StaticResult, labName: string): SubmissionLab {
  const topology = result.topology;
  const one = roleOf(result.roles, 'balancer1');
  const two = roleOf(result.roles, 'balancer2');
  if (!topology || !one || !two) {
    throw new LabError('GRADE_NO_LAB', 'the submission does not give two balancer configurations, so there is no lab to build', {
      hint: 'the static stage says what is missing',
    });
  }
  const notes: string[] = [];
  const network = topology.subnet.split('/')[0]!;
  const instance = one.config.config.vrrpInstances[0];
  const nodeAddresses = [topology.vip, topology.balancers.balancer1, topology.balancers.balancer2, ...topology.backends];
  const management = managementSubnet(topology.subnet);
  if (topology.interface === 'eth0') notes.push('the lab network is eth0 as in the submission; SSH uses mgmt0 instead');

  const balancerNode = (name: 'balancer1' | 'balancer2', role: RoleAssignment, address: string): LabNode => {
    const vrrp = role.config.config.vrrpInstances[0];
    const state = vrrp?.state?.value.toUpperCase() === 'MASTER' ? 'MASTER' : 'BACKUP';
    const priority = Number(vrrp?.priority?.value ?? 100);
    return { name, role: 'balancer', address, vrrp: { state, priority: Number.isFinite(priority) ? priority : 100 }, keepalivedConf: role.config.text };
  };

  const spec: LabSpec = {
    ...seed,
    name: labName,
    lab: { subnet: network, prefix: topology.prefix, client: clientAddress(topology.subnet, seed.lab.client, nodeAddresses), interface: topology.interface },
    management: { subnet: management.split('/')[0]!, prefix: Number(management.split('/')[1]) },
    vip: { address: topology.vip, prefix: topology.prefix },
    service: { ...seed.service, port: topology.port, scheduler: topology.scheduler, ...ipvsSetUp(result, topology.vip, seed.service.scheduler, notes) },
    vrrp: {
      ...seed.vrrp,
      instance: instance?.name || seed.vrrp.instance,
      virtualRouterId: numberOr(instance?.virtualRouterId?.value, seed.vrrp.virtualRouterId),
      advertInt: numberOr(instance?.advertInt?.value, seed.vrrp.advertInt),
      // balancer1 decides whether it takes the VIP back; keepalived honours nopreempt only from BACKUP.
      preempt: !(instance?.nopreempt && instance.state?.value.toUpperCase() !== 'MASTER'),
      templatePath: undefined,
    },
    nodes: [
      balancerNode('balancer1', one, topology.balancers.balancer1),
      balancerNode('balancer2', two, topology.balancers.balancer2),
      ...topology.backends.map((address, index): LabNode => ({ name: `backend${index + 1}`, role: 'backend', address })),
    ],
  };
  if (topology.forwarding !== 'dr') notes.push(`the submission forwards with ${topology.forwarding}; the lab's backends are set up for direct routing (as the homework asks)`);
  return { spec, plan: gradingPlan(result, spec, notes), notes, foreseen: foreseenFailures(result.findings) };
}

/**
 * The seed's scenario at half its rate: a grader's lab gets one CPU (grade.ts caps each lab at
 * min(cores - 1, cores / jobs)) where lab:failover's gets the machine, and at 200 requests/s two
 * such labs on two cores starved their balancers (seen: the seed's `systemctl status nginx`
 * track_script outlasting its 2-s interval, so correct configs went to FAULT by themselves).
 * Its phases are as long as the submission's own VRRP timing needs, not the seed's fixed ones: a
 * grader runs hundreds of them, and a student's longer advert_int needs longer phases.
 */
export function gradingScenario(spec: LabSpec): ScenarioPlan {
  const expectation = linkDownExpectation(vrrpParameters(spec));
  const takeoverBound = expectation.takeover?.bound ?? 0;
  const faultAt = GRADING_BEFORE_FAULT_SECONDS;
  // A client whose SYN the fault lost gets through at its first retransmission after the takeover
  // (7 s after the fault for the seed's timing), and only then does the backup count it: IPVS's
  // 2-s estimator after that, and a second more. Shorter, and the backup's counters were seen empty
  // at the revert (two grading labs on two cores, both runs of the seed answer).
  const revertAt = faultAt + Math.ceil(firstSynRetryAfter(takeoverBound) + IPVS_ESTIMATOR_SECONDS + 1);
  // The failback, then answers through the master again (the balance after the revert).
  const durationSeconds = revertAt + Math.ceil(expectation.failback.bound + ANSWERS_AFTER_RECOVERY_SECONDS);
  return { ...seedScenario, rate: seedScenario.rate / 2, faultAt, revertAt, durationSeconds };
}

/**
 * The grading scenario, with the load kept on after the revert until a returning master's own
 * health checkers can have re-added the real servers they dropped while its link was down
 * (keepalived checks again only after delay_loop): until then it holds the VIP with no real server.
 */
function gradingPlan(result: StaticResult, spec: LabSpec, notes: string[]): ScenarioPlan {
  const plan = gradingScenario(spec);
  if (spec.service.ipvs !== 'keepalived') return plan;
  const recovery = Math.max(0, ...result.roles.flatMap((role) => role.config.config.virtualServers.flatMap((server) => server.realServers.map((real) => real.recoverySeconds ?? 0))));
  const plainAfterRevert = plan.durationSeconds - plan.revertAt;
  const afterRevert = Math.max(plainAfterRevert, Math.min(recovery, MAX_CHECKER_WAIT_SECONDS) + ANSWERS_AFTER_RECOVERY_SECONDS);
  if (afterRevert === plainAfterRevert) return plan;
  notes.push(`the load runs ${afterRevert} s after the link returns (without health checkers: ${plainAfterRevert} s): the health checkers re-add real servers within delay_loop + connect_timeout = ${recovery} s${recovery > MAX_CHECKER_WAIT_SECONDS ? `, of which the grader waits ${MAX_CHECKER_WAIT_SECONDS} s` : ''}`);
  return { ...plan, durationSeconds: plan.revertAt + afterRevert };
}

function roleOf(roles: RoleAssignment[], balancer: 'balancer1' | 'balancer2'): RoleAssignment | undefined {
  return roles.find((role) => role.balancer === balancer);
}

/** Who sets IPVS up, and with which rules; never both keepalived and the lab's rules. */
function ipvsSetUp(result: StaticResult, vip: string, seedScheduler: string, notes: string[]): Pick<LabSpec['service'], 'ipvs' | 'ipvsRules'> {
  const keepalivedServers = result.roles.flatMap((role) => role.config.config.virtualServers.map((server) => `${role.config.file}:${server.line}`));
  if (keepalivedServers.length > 0) {
    notes.push(`IPVS is set up by keepalived's virtual_server blocks (${keepalivedServers.join(', ')}), no ipvsadm rules are applied`);
    return { ipvs: 'keepalived' };
  }
  const service = mainService(result.services.filter((candidate) => candidate.source === 'ipvsadm'), vip) ?? mainService(result.services, vip);
  if (!service) {
    notes.push('the submission sets up no IPVS service: the lab uses the seed\'s (rr, direct routing, both backends)');
    return { ipvs: 'rules' };
  }
  const where = `${service.file}:${service.line}`;
  notes.push(service.source === 'listing'
    ? `the submission shows IPVS only as an ipvsadm -Ln listing (${where}): the lab's rules are rebuilt from that listing, on both balancers${service.scheduler ? '' : ` (the listing shows no scheduler: ${seedScheduler}, as the homework asks)`}`
    : `IPVS rules from the submission's ipvsadm commands (${where}), on both balancers`);
  return { ipvs: 'rules', ipvsRules: ipvsRulesFrom(service, seedScheduler) };
}

/** The seed's client host part in the student's subnet, or the first free address from .1 on. */
function clientAddress(subnet: string, seedClient: string, used: string[]): string {
  const cidr = parseCidr(subnet, true) ?? parseCidr(subnet)!;
  const taken = new Set(used);
  const size = 2 ** (32 - cidr.prefix);
  const preferred = cidr.network + ((parseIpv4(seedClient) ?? 1) % size);
  for (const candidate of [preferred, ...Array.from({ length: size - 2 }, (_, index) => cidr.network + 1 + index)]) {
    const address = formatIpv4(candidate);
    if (cidrContains(cidr, candidate) && !isNetworkOrBroadcast(cidr, candidate) && !taken.has(address)) return address;
  }
  throw new LabError('GRADE_NO_CLIENT_ADDRESS', `the submission's subnet ${subnet} has no free address for the lab's client`);
}

function managementSubnet(labSubnet: string): string {
  const lab = parseCidr(labSubnet, true) ?? parseCidr(labSubnet)!;
  const free = MANAGEMENT_CANDIDATES.find((candidate) => {
    const management = parseCidr(candidate, true)!;
    return !cidrContains(lab, management.network) && !cidrContains(management, lab.network);
  });
  return free ?? MANAGEMENT_CANDIDATES[MANAGEMENT_CANDIDATES.length - 1]!;
}

function numberOr(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
