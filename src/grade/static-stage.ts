import type { LabSpec } from '../spec/types.js';
import { checkAddresses } from './check-addresses.js';
import { checkInstances } from './check-instance.js';
import { checkIpvs, type ServicesByBalancer } from './check-ipvs.js';
import { keepalivedTFindings } from './check-keepalived-t.js';
import type { KeepalivedChecker } from './keepalived-host-check.js';
import { checkPair } from './check-pair.js';
import { checkTemplate } from './check-template.js';
import { checkVirtualServers } from './check-virtual-server.js';
import { extract, type FoundConfig } from './extract.js';
import { serviceFromVirtualServer, type IpvsServiceDef } from './ipvs-service.js';
import { describeFinding, severityOf } from './messages.js';
import { readSubmission, type Submission } from './read-submission.js';
import { assignRoles, balancerNamedBy, type RoleAssignment } from './roles.js';
import { deriveTopology, type LabTopology } from './topology.js';
import type { Finding, Lang, RawFinding } from './types.js';

export interface StaticResult {
  /** fail when any finding is an error: the lab stage is not worth running. */
  verdict: 'ok' | 'fail';
  findings: Finding[];
  roles: RoleAssignment[];
  /** The lab this submission needs (absent when it has no balancer config). */
  topology?: LabTopology;
  services: IpvsServiceDef[];
}

export interface StaticOptions {
  /** keepalived's own parser without a lab (keepalived-host-check.ts); without it the grader's checks alone. */
  keepalivedCheck?: KeepalivedChecker;
}

/** The static stage on a path: read the submission, then check it. */
export function gradeStatic(submissionPath: string, seed: LabSpec, lang: Lang = 'en', options: StaticOptions = {}): StaticResult {
  return checkSubmission(readSubmission(submissionPath), seed, lang, options);
}

/** Everything the grader can tell without running the configs, as findings in one language. */
export function checkSubmission(submission: Submission, seed: LabSpec, lang: Lang, options: StaticOptions = {}): StaticResult {
  const raw: RawFinding[] = [...submission.findings];
  const extracted = extract(submission.files);
  raw.push(...extracted.findings);
  for (const found of extracted.configs) {
    raw.push(...found.config.findings, ...checkTemplate(found.config.statements, found.file), ...checkInstances(found.config), ...checkVirtualServers(found.config));
  }
  const balancerConfigs = extracted.configs.filter((found) => found.config.vrrpInstances.length > 0);
  const firstFile = submission.files[0]?.path ?? '.';
  raw.push(...countFindings(balancerConfigs, submission, firstFile));

  let roles: RoleAssignment[] = [];
  let topology: LabTopology | undefined;
  if (balancerConfigs.length === 1 || balancerConfigs.length === 2) {
    const assigned = assignRoles(balancerConfigs);
    roles = assigned.assignments;
    raw.push(...assigned.findings, ...checkPair(roles));
    const derived = deriveTopology(seed, roles, extracted.services);
    topology = derived.topology;
    const addressFindings = checkAddresses(roles, topology, seed);
    // VRRP on the NAT interface is a mistake, not a topology of the student's own.
    const splitBrain = addressFindings.some((finding) => finding.code === 'interface-not-lab');
    raw.push(...derived.findings.filter((finding) => !(splitBrain && finding.code === 'topology-changed')), ...addressFindings);
    raw.push(...checkIpvs(extracted.services, topology, servicesByBalancer(extracted.services, roles), balancerConfigs[0]!.file));
    if (options.keepalivedCheck) raw.push(...keepalivedTFindings(roles, topology, options.keepalivedCheck, raw));
  }
  const findings = order(raw).map((finding) => describeFinding(finding, lang));
  return {
    verdict: raw.some((finding) => severityOf(finding.code) === 'error') ? 'fail' : 'ok',
    findings,
    roles,
    services: extracted.services,
    ...(topology ? { topology } : {}),
  };
}

/** The lab has exactly two balancers: none, one or more than two configs is a finding of its own. */
function countFindings(configs: FoundConfig[], submission: Submission, firstFile: string): RawFinding[] {
  if (configs.length === 0) {
    const emptyAlready = submission.findings.some((finding) => finding.code === 'empty-submission' || finding.code === 'submission-missing');
    return emptyAlready ? [] : [{ code: 'no-configs', file: firstFile }];
  }
  if (configs.length === 1) return [{ code: 'one-config', file: configs[0]!.file, line: configs[0]!.firstLine }];
  if (configs.length > 2) return [{ code: 'too-many-configs', file: configs[2]!.file, line: configs[2]!.firstLine, params: { count: configs.length } }];
  return [];
}

/** Services each balancer runs: named by a prompt (root@Balancer1), or a virtual_server in its config. */
function servicesByBalancer(services: IpvsServiceDef[], roles: RoleAssignment[]): ServicesByBalancer {
  const byBalancer: ServicesByBalancer = { balancer1: [], balancer2: [] };
  for (const service of services) {
    const named = service.host ? balancerNamedBy(service.host) : undefined;
    if (named && service.source !== 'virtual_server') byBalancer[named.number === 1 ? 'balancer1' : 'balancer2'].push(service);
  }
  for (const { balancer, config } of roles) {
    byBalancer[balancer].push(...config.config.virtualServers.map((server) => serviceFromVirtualServer(server, config.file)));
  }
  return byBalancer;
}

/** By file, then line; findings without a line first in their file. */
function order(findings: RawFinding[]): RawFinding[] {
  return [...findings].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
}
