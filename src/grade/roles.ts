import type { FoundConfig } from './extract.js';
import type { RawFinding } from './types.js';

export type BalancerName = 'balancer1' | 'balancer2';

/** How a configuration was matched to a balancer, strongest first. */
export type RoleReason = 'prompt' | 'caption' | 'file-name' | 'priority' | 'state' | 'order';

export interface RoleAssignment {
  balancer: BalancerName;
  config: FoundConfig;
  reason: RoleReason;
  /** The text the decision rests on (the prompt's host, the caption, the file name, the value). */
  evidence: string;
}

const NODE_WORD = String.raw`(?:balancer|balanser|lb|lvs|node|server|host|vm|machine|нод[аеуы]?|узел|сервер|хост|машин[аы]|балансировщик|балансер)`;
/** "Balancer1", "нода 1", "lb-2", "node #2"; the digit must end the number (not node12, not a version 1.2). */
const NUMBERED = new RegExp(`${NODE_WORD}[\\s_\\-#№.]*0?([12])(?!\\d|\\.\\d)`, 'giu');
/** "ноды 1 и 2", "balancers 1/2": both at once names neither. */
const NUMBERED_BOTH = new RegExp(`${NODE_WORD}[\\s_\\-#№.]*0?[12]\\s*(?:и|and|&|,|/)\\s*0?[12](?!\\d)`, 'iu');
/** Latin-only word boundaries would miss Cyrillic words, so these look at letters around by hand. */
const FIRST = /(?<![\p{L}])(master|primary|main|мастер|главн\p{L}*|основн\p{L}*|перв\p{L}*)(?![\p{L}])/giu;
const SECOND = /(?<![\p{L}])(backup|secondary|slave|бэкап\p{L}*|бекап\p{L}*|резервн\p{L}*|запасн\p{L}*|втор\p{L}*)(?![\p{L}])/giu;

/** 1 or 2 when the text names exactly one of the two balancers, with the words that did. */
export function balancerNamedBy(text: string): { number: 1 | 2; words: string } | undefined {
  if (NUMBERED_BOTH.test(text)) return undefined;
  const named = new Map<1 | 2, string>();
  for (const match of text.matchAll(NUMBERED)) named.set(match[1] === '1' ? 1 : 2, match[0]);
  if (named.size === 0) {
    for (const match of text.matchAll(FIRST)) named.set(1, match[0]);
    for (const match of text.matchAll(SECOND)) named.set(2, match[0]);
  }
  if (named.size !== 1) return undefined;
  const [[number, words]] = [...named] as [[1 | 2, string]];
  return { number, words };
}

interface Hint {
  number: 1 | 2;
  reason: RoleReason;
  evidence: string;
}

/** What the submission itself says about a configuration's balancer: prompt, then captions (nearest first), then file names. */
function hintFor(found: FoundConfig): Hint | undefined {
  const sources: [RoleReason, string][] = [
    ...(found.host ? [['prompt', found.host] as [RoleReason, string]] : []),
    ...[...found.caption].reverse().map((text) => ['caption', text] as [RoleReason, string]),
    ...[found.file, ...found.copies].map((file) => ['file-name', file] as [RoleReason, string]),
  ];
  for (const [reason, text] of sources) {
    const named = balancerNamedBy(text);
    if (named) return { number: named.number, reason, evidence: text };
  }
  return undefined;
}

/**
 * Decides which of two configurations is balancer1 (the intended master) and which balancer2:
 * from the submission's own words when they name both or one, else from priority, then state, then order.
 */
export function assignRoles(configs: FoundConfig[]): { assignments: RoleAssignment[]; findings: RawFinding[] } {
  const findings: RawFinding[] = [];
  if (configs.length === 0) return { assignments: [], findings };
  const hints = configs.map(hintFor);
  const [first, second] = configs;
  if (!first) return { assignments: [], findings };
  const name = (number: 1 | 2): BalancerName => (number === 1 ? 'balancer1' : 'balancer2');

  let order: [FoundConfig, Hint][] | undefined;
  const [hintA, hintB] = hints;
  if (!second) {
    const hint = hintA ?? fromValues(first, undefined, 1);
    order = [[first, hint]];
  } else if (hintA && hintB && hintA.number !== hintB.number) {
    order = [[first, hintA], [second, hintB]];
  } else if (hintA && hintB) {
    findings.push({ code: 'roles-conflict', file: second.file, line: second.firstLine, params: { first: hintA.evidence, second: hintB.evidence } });
  } else if (hintA || hintB) {
    const known = (hintA ?? hintB)!;
    const other: 1 | 2 = known.number === 1 ? 2 : 1;
    const otherReason: Hint = { number: other, reason: known.reason, evidence: `≠ ${known.evidence}` };
    order = hintA ? [[first, hintA], [second, otherReason]] : [[first, otherReason], [second, known]];
  }
  if (!order && second) {
    const a = fromValues(first, second, 1);
    const b: Hint = { ...a, number: a.number === 1 ? 2 : 1, ...(a.reason === 'order' ? { evidence: `${second.file}:${second.firstLine}` } : {}) };
    order = [[first, a], [second, b]];
  }
  const assignments = (order ?? []).map(([config, hint]) => ({ balancer: name(hint.number), config, reason: hint.reason, evidence: hint.evidence }));
  for (const assignment of assignments) {
    findings.push({ code: 'role-assigned', file: assignment.config.file, line: assignment.config.firstLine, params: { balancer: assignment.balancer, reason: assignment.reason, evidence: assignment.evidence } });
  }
  return { assignments: assignments.sort((x, y) => x.balancer.localeCompare(y.balancer)), findings };
}

/** No names: the higher priority is balancer1 (it becomes master), then MASTER over BACKUP, then the order of appearance. */
function fromValues(config: FoundConfig, other: FoundConfig | undefined, fallback: 1 | 2): Hint {
  const instance = config.config.vrrpInstances[0];
  const otherInstance = other?.config.vrrpInstances[0];
  const priority = Number(instance?.priority?.value ?? 100);
  const otherPriority = Number(otherInstance?.priority?.value ?? 100);
  if (other && Number.isFinite(priority) && Number.isFinite(otherPriority) && priority !== otherPriority) {
    return { number: priority > otherPriority ? 1 : 2, reason: 'priority', evidence: `priority ${priority} vs ${otherPriority}` };
  }
  const state = instance?.state?.value.toUpperCase();
  const otherState = otherInstance?.state?.value.toUpperCase();
  if (state && (state === 'MASTER' || state === 'BACKUP') && state !== otherState) {
    return { number: state === 'MASTER' ? 1 : 2, reason: 'state', evidence: `state ${state}` };
  }
  return { number: fallback, reason: 'order', evidence: `${config.file}:${config.firstLine}` };
}
