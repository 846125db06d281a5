import type { RoleAssignment } from './roles.js';
import type { Criterion, CriterionId, Finding, Lang } from './types.js';

/** Each criterion's weight and title; a criterion earns its points only when it passes. */
export const CRITERIA: Record<CriterionId, { points: number; en: string; ru: string }> = {
  'config-valid': { points: 2, en: 'Both keepalived configs are valid and agree', ru: 'Обе конфигурации keepalived корректны и согласованы' },
  roles: { points: 1, en: 'One balancer is the master, the other the backup', ru: 'Одна нода — мастер, другая — резервная' },
  'vip-serves': { points: 2, en: 'The VIP answers HTTP through IPVS', ru: 'VIP отвечает по HTTP через IPVS' },
  balanced: { points: 2, en: 'Requests are shared between both backends', ru: 'Запросы распределяются между обоими бэкендами' },
  failover: { points: 2, en: 'The backup takes the VIP when the master fails', ru: 'Резервная нода забирает VIP при отказе мастера' },
  'no-split-brain': { points: 2, en: 'Never two VIP holders at once', ru: 'VIP никогда не держат две ноды сразу' },
  failback: { points: 1, en: 'The master takes the VIP back (or keeps off with nopreempt)', ru: 'Мастер забирает VIP обратно (или нет — при nopreempt)' },
};

/** Errors that say the two balancers' roles are wrong; every other error is about validity. */
const ROLE_CODES = new Set([
  'no-configs', 'one-config', 'too-many-configs', 'empty-submission', 'submission-missing', 'roles-conflict',
  'priority-equal', 'priority-255-both', 'state-both-master', 'state-both-backup', 'state-invalid', 'priority-invalid',
]);
/** Without configs there is nothing to be valid. */
const NOTHING_TO_CHECK = new Set(['no-configs', 'empty-submission', 'submission-missing']);

const WORDS = {
  en: { valid: 'no errors in the configs', roles: 'roles', errors: 'error(s)', none: 'no configs to check', fine: 'nothing to fix' },
  ru: { valid: 'в конфигурациях нет ошибок', roles: 'роли', errors: 'ошиб.', none: 'нет конфигураций для проверки', fine: 'исправлять нечего' },
} as const;

/** The static stage's criteria: config-valid and roles, from its findings and role decisions. */
export function staticCriteria(findings: Finding[], roles: RoleAssignment[], lang: Lang): [Criterion, Criterion] {
  const errors = findings.filter((finding) => finding.severity === 'error');
  const nothing = errors.filter((finding) => NOTHING_TO_CHECK.has(finding.code));
  const validity = nothing.length > 0 ? nothing : errors.filter((finding) => !ROLE_CODES.has(finding.code));
  const roleErrors = errors.filter((finding) => ROLE_CODES.has(finding.code));
  const decided = roles.map(({ balancer, config, reason, evidence }) => {
    const instance = config.config.vrrpInstances[0];
    return `${balancer} ← ${config.file}:${config.firstLine} (${reason}: ${evidence}; state ${instance?.state?.value ?? '-'}, priority ${instance?.priority?.value ?? '-'})`;
  });
  return [
    criterion('config-valid', validity, [], lang, WORDS[lang].valid),
    criterion('roles', roleErrors, decided, lang, `${WORDS[lang].roles}: ${decided.join('; ')}`),
  ];
}

function criterion(id: CriterionId, errors: Finding[], extraEvidence: string[], lang: Lang, passMessage: string): Criterion {
  const first = errors[0];
  const pass = errors.length === 0;
  return {
    id,
    title: CRITERIA[id][lang],
    pass,
    points: pass ? CRITERIA[id].points : 0,
    message: first ? `${errors.length} ${WORDS[lang].errors}: ${first.message}` : passMessage,
    hint: first?.hint ?? WORDS[lang].fine,
    evidence: [...errors.map((finding) => `${finding.file}${finding.line !== undefined ? `:${finding.line}` : ''} ${finding.code}`), ...extraEvidence],
  };
}
