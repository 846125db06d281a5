import { failoverChecks, measure, type CheckResult, type FailoverMeasures } from '../checks/failover-checks.js';
import { ownFaults, type OwnFault } from '../checks/own-faults.js';
import type { ScenarioResult } from '../scenario/timeline.js';
import { CRITERIA } from './criteria.js';
import { balancedRu, failbackRu, failoverRu, splitBrainRu } from './lab-messages-ru.js';
import type { LabStageResult } from './lab-stage.js';
import type { Criterion, CriterionId, Lang } from './types.js';

export const LAB_CRITERIA: CriterionId[] = ['vip-serves', 'balanced', 'failover', 'no-split-brain', 'failback'];

const WORDS = {
  en: {
    fine: 'nothing to fix',
    notRun: (reason: string) => `not checked in the lab: ${reason}`,
    notRunHint: 'fix the errors above first; the lab runs configs that can work',
    rejected: (node: string) => `keepalived refused the configuration of ${node} (keepalived -t), so the lab could not start`,
    rejectedHint: 'fix the lines keepalived -t names (see the findings)',
    failed: 'the lab did not work with these configs',
    failedHint: 'read keepalived\'s log lines in the evidence: they say why',
    served: (counts: string) => `before the fault the VIP was answered by the backends only (${counts})`,
    notServed: (counts: string) => `before the fault the VIP was not answered by the backends only (${counts})`,
    servedHint: 'the VIP must reach the backends through IPVS (direct routing): check the IPVS service and the real servers',
    ownFault: ({ node, at }: OwnFault) => `${node} went to FAULT ${at.toFixed(2)} s after the load started, with no fault of the lab's on it`,
    ownFaultHint: 'a balancer went to FAULT by itself, which takes it out of VRRP: a vrrp_script in its track_script failed or ran past its timeout (a slow or heavy check script). Make the check quick and reliable',
    checkHint: {
      balanced: 'both real servers must be in the IPVS service with equal weights and a balancing scheduler (rr)',
      failover: 'the backup must take the VIP when the master\'s link goes down: same virtual_router_id, interface and authentication on both, a lower priority on the backup',
      'no-split-brain': 'two masters at once mean the balancers do not hear each other\'s adverts: same virtual_router_id, authentication, interface, unicast peers',
      failback: 'with preemption (the default) the higher priority takes the VIP back; nopreempt keeps it on the backup. With virtual_server health checks the returning master forwards only once its checkers have re-added the real servers (delay_loop + connect_timeout after its link returns): a long delay_loop leaves the VIP without real servers; shorten it or set preempt_delay',
    },
  },
  ru: {
    fine: 'исправлять нечего',
    notRun: (reason: string) => `на стенде не проверялось: ${reason}`,
    notRunHint: 'сначала исправьте ошибки выше: на стенде запускаются конфигурации, которые могут работать',
    rejected: (node: string) => `keepalived отверг конфигурацию ${node} (keepalived -t), стенд не запустился`,
    rejectedHint: 'исправьте строки, которые называет keepalived -t (см. замечания)',
    failed: 'стенд с этими конфигурациями не заработал',
    failedHint: 'прочитайте строки журнала keepalived в доказательствах: там причина',
    served: (counts: string) => `до отказа на VIP отвечали только бэкенды (${counts})`,
    notServed: (counts: string) => `до отказа на VIP отвечали не только бэкенды (${counts})`,
    servedHint: 'VIP должен вести на бэкенды через IPVS (прямая маршрутизация): проверьте сервис IPVS и реальные серверы',
    ownFault: ({ node, at }: OwnFault) => `${node} перешёл в FAULT через ${at.toFixed(2).replace('.', ',')} с после начала нагрузки, хотя стенд его не трогал`,
    ownFaultHint: 'балансировщик сам ушёл в FAULT и выпал из VRRP: vrrp_script из его track_script завершился с ошибкой или не уложился в timeout (медленный или тяжёлый скрипт проверки). Сделайте проверку быстрой и надёжной',
    checkHint: {
      balanced: 'оба реальных сервера должны быть в сервисе IPVS с равными весами и планировщиком rr',
      failover: 'резервная нода должна забрать VIP при падении интерфейса мастера: одинаковые virtual_router_id, интерфейс и аутентификация, у резервной приоритет ниже',
      'no-split-brain': 'два мастера сразу — ноды не слышат объявления друг друга: одинаковые virtual_router_id, аутентификация, интерфейс, unicast-пиры',
      failback: 'с вытеснением (по умолчанию) нода с большим приоритетом забирает VIP обратно; nopreempt оставляет его на резервной. С проверками real_server в virtual_server вернувшийся мастер передаёт запросы только после того, как проверки вернут реальные серверы (delay_loop + connect_timeout после подъёма интерфейса): при долгом delay_loop VIP остаётся без реальных серверов; уменьшите его или задайте preempt_delay',
    },
  },
} as const;

/** Which failover checks each lab criterion rests on. */
const FROM_CHECKS: Record<Exclude<CriterionId, 'vip-serves' | 'config-valid' | 'roles'>, string[]> = {
  balanced: ['balance'],
  failover: ['failover', 'continuity'],
  'no-split-brain': ['split-brain'],
  failback: ['failback'],
};

/** The five lab criteria from what the lab stage showed (or why it did not run). */
export function labCriteria(lab: LabStageResult | { error: string } | undefined, lang: Lang, skippedReason: string): Criterion[] {
  const words = WORDS[lang];
  if (!lab || 'error' in lab || lab.kind !== 'ran') {
    const [message, hint, evidence] = !lab
      ? [words.notRun(skippedReason), words.notRunHint, [skippedReason]]
      : 'error' in lab
        ? [words.notRun(lab.error), '', [lab.error]]
        : lab.kind === 'skipped'
          ? [words.notRun(lab.reason), words.notRunHint, [lab.reason]]
          : lab.kind === 'rejected'
            ? [words.rejected(lab.node), words.rejectedHint, lab.findings.map((finding) => `${finding.file}${finding.line !== undefined ? `:${finding.line}` : ''} keepalived -t: ${String(finding.params?.text ?? '')}`)]
            : [`${words.failed}: ${lab.message.split('\n')[0]}`, words.failedHint, [`${lab.code}: ${lab.message}`, ...lab.nodeLogs.flatMap((log) => log.lines.slice(-8).map((line) => `${log.node} (${log.source}): ${line}`))]];
    return LAB_CRITERIA.map((id) => ({ id, title: CRITERIA[id][lang], pass: false, points: 0, message, hint, evidence }));
  }
  const measures = measure(lab.scenario);
  const checks = failoverChecks(lab.scenario, measures);
  const criteria = [vipServes(lab.scenario, checks, lang), ...(Object.keys(FROM_CHECKS) as (keyof typeof FROM_CHECKS)[]).map((id) => fromChecks(id, checks, lang, lab.scenario, measures))];
  return withOwnFaults(criteria, ownFaults(lab.scenario), lang);
}

/** A failing criterion names the FAULT states the submission caused itself: they, not the lab's fault, explain it. */
function withOwnFaults(criteria: Criterion[], faults: OwnFault[], lang: Lang): Criterion[] {
  if (faults.length === 0) return criteria;
  const words = WORDS[lang];
  return criteria.map((item) =>
    item.pass ? item : { ...item, hint: [words.ownFaultHint, item.hint].filter(Boolean).join('; '), evidence: [...faults.map(words.ownFault), ...item.evidence] },
  );
}

/** Before the fault every answer through the VIP must come from a backend: a director's own page means IPVS did not forward. */
function vipServes(result: ScenarioResult, checks: CheckResult[], lang: Lang): Criterion {
  const faultAt = measure(result).faultAt;
  const backends = new Set(Object.values(result.backends));
  const answers = new Map<string, number>();
  for (const event of result.events) {
    if (event.kind === 'response' && event.status === 200 && event.t < faultAt) answers.set(event.backend || '(empty page)', (answers.get(event.backend || '(empty page)') ?? 0) + 1);
  }
  const fromBackends = [...answers].filter(([name]) => backends.has(name)).reduce((sum, [, count]) => sum + count, 0);
  const others = [...answers].filter(([name]) => !backends.has(name));
  const pass = fromBackends > 0 && others.length === 0;
  const counts = answers.size > 0 ? [...answers].map(([name, count]) => `${name} ${count}`).join(', ') : (lang === 'ru' ? 'ответов нет' : 'no answers');
  const words = WORDS[lang];
  const before = checks.find((check) => check.id === 'before-fault');
  return criterion('vip-serves', pass, pass ? words.served(counts) : words.notServed(counts), pass ? words.fine : words.servedHint, [
    `answers through the VIP before the fault: ${counts}`,
    ...(before ? [`${before.pass ? 'PASS' : 'FAIL'} ${before.title}: ${before.reason}`] : []),
  ], lang);
}

/**
 * Balance is judged in the two steady phases (before the fault, after failover). The seconds after
 * the revert are failback's: a returning master's keepalived health checkers (virtual_server
 * real_server checks) re-add the real servers one by one after its link was down, which is the
 * checkers working, not a balancing mistake. That phase stays in the evidence.
 */
function steadyBalance(check: CheckResult): CheckResult {
  if (check.id !== 'balance' || !check.parts) return check;
  const steady = check.parts.filter((part) => !part.name.includes('after the revert'));
  return { ...check, pass: steady.every((part) => part.pass) };
}

/** The criterion's message in Russian, from the run's figures. */
function russianMessage(id: keyof typeof FROM_CHECKS, used: CheckResult[], result: ScenarioResult, measures: FailoverMeasures): string {
  switch (id) {
    case 'balanced': return used[0] ? balancedRu(used[0]) : '';
    case 'failover': return failoverRu(result, measures);
    case 'no-split-brain': return splitBrainRu(result);
    case 'failback': return failbackRu(result, measures);
  }
}

function fromChecks(id: keyof typeof FROM_CHECKS, checks: CheckResult[], lang: Lang, result: ScenarioResult, measures: FailoverMeasures): Criterion {
  const used = FROM_CHECKS[id].map((checkId) => checks.find((check) => check.id === checkId)).filter((check): check is CheckResult => check !== undefined).map(steadyBalance);
  const pass = used.length === FROM_CHECKS[id].length && used.every((check) => check.pass);
  const failing = used.find((check) => !check.pass);
  const message = lang === 'ru' ? russianMessage(id, used, result, measures) : failing ? `${failing.title}: ${failing.reason}` : used.map((check) => check.reason).join('; ');
  return criterion(id, pass, message, pass ? WORDS[lang].fine : WORDS[lang].checkHint[id], used.map((check) => `${check.pass ? 'PASS' : 'FAIL'} ${check.title}: ${check.reason}`), lang);
}

function criterion(id: CriterionId, pass: boolean, message: string, hint: string, evidence: string[], lang: Lang): Criterion {
  return { id, title: CRITERIA[id][lang], pass, points: pass ? CRITERIA[id].points : 0, message, hint, evidence };
}
