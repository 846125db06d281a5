import type { CheckResult, FailoverMeasures } from '../checks/failover-checks.js';
import { vipHolderSpans } from '../checks/vip-holders.js';
import { masterDownInterval, outageBound, takeoverWindow } from '../checks/vrrp-timing.js';
import type { ScenarioResult } from '../scenario/timeline.js';

/**
 * The lab criteria's messages in Russian, from the run's own figures (the checks word their reasons
 * in English; those stay in the evidence as they are).
 */
const seconds = (value: number) => `${value.toFixed(2).replace('.', ',')} с`;

const phaseNames: [RegExp, string][] = [
  [/^client before the fault$/, 'клиент до отказа'],
  [/^client after failover$/, 'клиент после переключения'],
  [/^client after the revert$/, 'клиент после возврата'],
  [/^IPVS (\S+) before the fault$/, 'IPVS $1 до отказа'],
  [/^IPVS (\S+) after failover$/, 'IPVS $1 после переключения'],
];

function phase(part: NonNullable<CheckResult['parts']>[number]): string {
  const name = phaseNames.reduce((text, [pattern, russian]) => text.replace(pattern, russian), part.name);
  const detail = part.detail
    .replace(/\(ok\)/, '(норма)')
    .replace(/\(differ by (\d+) > (\d+)\)/, '(разница $1 > $2)')
    .replace(/^no new connections \(all matched existing IPVS entries(?:: (\S+) held (\d+) from earlier load)?\)$/, (_, node?: string, count?: string) =>
      node ? `новых соединений не было (все попали в записи IPVS прежней нагрузки: у ${node} их было ${count})` : 'новых соединений не было');
  return `${name}: ${detail}`;
}

export function balancedRu(check: CheckResult): string {
  const steady = (check.parts ?? []).filter((part) => !part.name.includes('after the revert'));
  const failing = steady.filter((part) => !part.pass);
  return failing.length > 0
    ? `нагрузка распределена неравномерно — ${failing.map(phase).join('; ')}`
    : `нагрузка распределена поровну — ${steady.map(phase).join('; ')}`;
}

export function failoverRu(result: ScenarioResult, m: FailoverMeasures): string {
  const { vrrp, load } = result;
  const window = takeoverWindow(vrrp.priorities[vrrp.backup] ?? 0, vrrp.advertInt);
  const bound = outageBound(vrrp.priorities[vrrp.backup] ?? 0, vrrp.advertInt);
  const takeover = m.failoverSeconds === undefined
    ? `${vrrp.backup} так и не забрал VIP после отказа`
    : `${vrrp.backup} забрал VIP через ${seconds(m.failoverSeconds)} после отказа (по VRRP ${seconds(window.earliest)}–${seconds(window.latest)}, граница ${seconds(window.bound)})${m.failoverSeconds > window.bound ? ' — позже границы' : ''}`;
  const outage = `самый долгий перерыв без ответа у клиента ${seconds(m.outageSeconds)} (граница ${seconds(bound)}: переключение и следующая повторная передача TCP)${m.outageSeconds > bound ? ' — дольше границы' : ''}`;
  const accounted = load.sent === load.answered + load.failed + load.unfinished;
  const requests = `запросов ${load.sent}: ${load.answered} с ответом, ${load.failed} с ошибкой, ${load.unfinished} без ответа к концу${accounted ? '' : ' — СУММА НЕ СХОДИТСЯ'}`;
  return `${takeover}; ${outage}; ${requests}`;
}

export function splitBrainRu(result: ScenarioResult): string {
  const spans = vipHolderSpans(result.events, result.endedAt);
  const firstSettled = spans.find((span) => span.holders.length === 1)?.from ?? Infinity;
  const splits = spans.filter((span) => span.from >= firstSettled && span.holders.length > 1 && span.to - span.from > result.vrrp.advertInt * 1000);
  return splits.length > 0
    ? `VIP был сразу на двух балансировщиках: ${splits.map((span) => `${span.holders.join(' и ')} — ${seconds((span.to - span.from) / 1000)}`).join('; ')}`
    : 'VIP ни разу не был на двух балансировщиках сразу (не считая передачи короче advert_int)';
}

export function failbackRu(result: ScenarioResult, m: FailoverMeasures): string {
  const { vrrp } = result;
  const from = (m.failbackAt ?? m.revertAt) + 1;
  const answersAfter = result.events.filter((event) => event.kind === 'response' && event.status === 200 && event.t >= from && event.t < m.loadEnd).length;
  if (!vrrp.preempt) {
    return m.failbackAt === undefined
      ? `с nopreempt VIP остался на ${vrrp.backup} после возврата интерфейса; после возврата ${answersAfter} ответов`
      : `с nopreempt ${vrrp.master} всё же забрал VIP обратно через ${seconds(m.failbackSeconds ?? 0)} после возврата`;
  }
  const bound = masterDownInterval(vrrp.priorities[vrrp.master] ?? 0, vrrp.advertInt) + 0.5;
  const back = m.failbackSeconds === undefined
    ? `${vrrp.master} не забрал VIP обратно после возврата интерфейса`
    : `${vrrp.master} забрал VIP обратно через ${seconds(m.failbackSeconds)} после возврата интерфейса (граница ${seconds(bound)})`;
  return `${back}; после этого ${answersAfter} ответов`;
}
