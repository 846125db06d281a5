import type { GradeReport, Lang } from '../types.js';

/** Every fixed word of feedback.md, per language; {name} is filled in by the renderer. */
export const FEEDBACK_TEXT = {
  en: {
    heading: 'Homework 3.8: {verdict} — {score} of {max} points',
    verdict: { pass: 'PASSED', fail: 'NOT PASSED', error: 'NOT GRADED' },
    summary: {
      pass: 'The lab built from your configs works and fails over. Well done.',
      fail: 'Not passed yet: below is what failed, where in your files, and what to change.',
      error: 'The grader could not finish checking your work. This is not your fault: your teacher will look at it.',
    },
    staticSummary: {
      pass: 'The static checks found nothing wrong in your configs. The lab was not run, so failover is not judged yet.',
      fail: 'The static checks found what to fix before your configs can work: see below. The lab was not run.',
      error: 'The grader could not finish checking your work. This is not your fault: your teacher will look at it.',
    },
    submission: 'Submission',
    criteria: 'Criteria',
    points: '+{points}',
    notJudged: 'not checked',
    change: 'What to change',
    where: 'Where',
    findings: 'What to change in your files',
    notes: 'Notes',
    fix: 'fix',
    noFindings: 'Nothing to fix in your files.',
    roles: 'Which config is which balancer',
    noRoles: 'No balancer config was recognised.',
    lab: 'The lab',
    labSkipped: 'The lab was not run: {reason}',
    labSkippedNoReason: 'The lab was not run.',
    scenario: 'Failover run',
    scenarioGraded: "The run's own checks, as `lab:failover` judges them. The criteria above rest on them, but for the balance after the revert: that is the failback's time, when a returning master's health checkers may re-add the real servers one by one.",
    ipvs: 'IPVS counters (`ipvsadm -Ln --stats`)',
    logs: 'Node logs',
    labNotes: 'How the lab was set up and run',
  },
  ru: {
    heading: 'Домашнее задание 3.8: {verdict} — {score} из {max} баллов',
    verdict: { pass: 'ЗАЧТЕНО', fail: 'НЕ ЗАЧТЕНО', error: 'НЕ ПРОВЕРЕНО' },
    summary: {
      pass: 'Стенд, собранный по вашим конфигурациям, работает и переключается при отказе. Отлично.',
      fail: 'Пока не зачтено: ниже — что не прошло, где это в ваших файлах и что исправить.',
      error: 'Проверка не смогла завершиться. Это не ваша ошибка: преподаватель посмотрит работу сам.',
    },
    staticSummary: {
      pass: 'Статическая проверка не нашла ошибок в ваших конфигурациях. Стенд не запускался, поэтому переключение пока не оценено.',
      fail: 'Статическая проверка нашла, что исправить, чтобы конфигурации заработали: см. ниже. Стенд не запускался.',
      error: 'Проверка не смогла завершиться. Это не ваша ошибка: преподаватель посмотрит работу сам.',
    },
    submission: 'Работа',
    criteria: 'Критерии',
    points: '+{points}',
    notJudged: 'не проверялось',
    change: 'Что исправить',
    where: 'Где',
    findings: 'Что исправить в ваших файлах',
    notes: 'Замечания',
    fix: 'исправление',
    noFindings: 'В ваших файлах исправлять нечего.',
    roles: 'Какая конфигурация какой ноде соответствует',
    noRoles: 'Конфигурации балансировщиков не распознаны.',
    lab: 'Стенд',
    labSkipped: 'Стенд не запускался: {reason}',
    labSkippedNoReason: 'Стенд не запускался.',
    scenario: 'Проверка переключения',
    scenarioGraded: 'Собственные проверки прогона (на английском), как их судит `lab:failover`. Критерии выше опираются на них, кроме баланса после возврата: это время возврата мастера, когда его проверки здоровья могут добавлять реальные серверы по одному.',
    ipvs: 'Счётчики IPVS (`ipvsadm -Ln --stats`)',
    logs: 'Журналы нод',
    labNotes: 'Как стенд был собран и запущен (на английском)',
  },
} as const satisfies Record<Lang, FeedbackWords>;

interface FeedbackWords {
  heading: string;
  verdict: Record<GradeReport['verdict'], string>;
  summary: Record<GradeReport['verdict'], string>;
  staticSummary: Record<GradeReport['verdict'], string>;
  [word: string]: string | Record<string, string>;
}

/** Fills {name} in a fixed text with values (already escaped by the caller). */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (match, name: string) => String(values[name] ?? match));
}
