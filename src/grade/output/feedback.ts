import { CRITERIA } from '../criteria.js';
import type { Criterion, Finding, Lang } from '../types.js';
import { CRITERION_IDS } from './criterion-ids.js';
import { FEEDBACK_TEXT, fill } from './feedback-text.js';
import { codeBlock, codeSpan, escapeInline } from './markdown-escape.js';
import type { GradedSubmission } from './outcome-shape.js';

type Words = (typeof FEEDBACK_TEXT)[Lang];

/**
 * feedback.md for the student: the verdict, each criterion (passed, failed with what to change and
 * where, or not checked and why), the findings by file and line, the role decisions and the lab's
 * evidence. Everything from the submission or the lab is escaped: it can only ever be text.
 */
export function renderFeedback(outcome: GradedSubmission, lang: Lang): string {
  const words = FEEDBACK_TEXT[lang];
  const { report, evidence } = outcome;
  const sections = [
    `# ${fill(words.heading, { verdict: words.verdict[report.verdict], score: report.score, max: report.maxScore })}`,
    `${(report.stage === 'static' ? words.staticSummary : words.summary)[report.verdict]}\n\n${words.submission}: ${codeSpan(report.submission)}`,
    criteriaSection(report.criteria, evidence.labSkipped, words, lang),
    findingsSection(report.findings, words),
    rolesSection(evidence.roles, words),
    labSection(outcome, words),
  ];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

function criteriaSection(criteria: Criterion[], labSkipped: string | undefined, words: Words, lang: Lang): string {
  const byId = new Map(criteria.map((criterion) => [criterion.id, criterion]));
  const lines = CRITERION_IDS.map((id) => {
    const criterion = byId.get(id);
    if (!criterion) {
      const why = labSkipped ? `: ${escapeInline(labSkipped)}` : '';
      return `- ⏭ **${escapeInline(CRITERIA[id][lang])}** — ${words.notJudged}${why}`;
    }
    const title = `**${escapeInline(criterion.title)}**`;
    if (criterion.pass) return `- ✅ ${title} (${fill(words.points, { points: criterion.points })}): ${escapeInline(criterion.message)}`;
    const where = criterion.evidence.length > 0 ? [`  - ${words.where}: ${criterion.evidence.map(codeSpan).join(', ')}`] : [];
    return [`- ❌ ${title}: ${escapeInline(criterion.message)}`, `  - ${words.change}: ${escapeInline(criterion.hint)}`, ...where].join('\n');
  });
  return `## ${words.criteria}\n\n${lines.join('\n')}`;
}

function findingsSection(findings: Finding[], words: Words): string {
  const toFix = findings.filter((finding) => finding.severity !== 'info');
  const notes = findings.filter((finding) => finding.severity === 'info');
  const item = (finding: Finding) => {
    const place = `${finding.file}${finding.line !== undefined ? `:${finding.line}` : ''}`;
    return `- ${codeSpan(place)} ${escapeInline(finding.message)}\n  - ${words.fix}: ${escapeInline(finding.hint)}`;
  };
  const fix = `## ${words.findings}\n\n${toFix.length > 0 ? toFix.map(item).join('\n') : words.noFindings}`;
  return notes.length > 0 ? `${fix}\n\n### ${words.notes}\n\n${notes.map(item).join('\n')}` : fix;
}

function rolesSection(roles: string[], words: Words): string {
  return `## ${words.roles}\n\n${roles.length > 0 ? roles.map((role) => `- ${escapeInline(role)}`).join('\n') : words.noRoles}`;
}

function labSection({ evidence }: GradedSubmission, words: Words): string {
  const parts: string[] = [];
  if (evidence.labSkipped !== undefined) {
    parts.push(evidence.labSkipped.trim() === '' ? words.labSkippedNoReason : fill(words.labSkipped, { reason: escapeInline(evidence.labSkipped) }));
  }
  if (evidence.scenarioSummary) parts.push(`### ${words.scenario}\n\n${words.scenarioGraded}\n\n${codeBlock(evidence.scenarioSummary)}`);
  if (evidence.ipvsStats.length > 0) {
    parts.push(`### ${words.ipvs}\n\n${evidence.ipvsStats.map(({ title, text }) => `${escapeInline(title)}:\n\n${codeBlock(text)}`).join('\n\n')}`);
  }
  if (evidence.labNotes.length > 0) parts.push(`### ${words.labNotes}\n\n${evidence.labNotes.map((note) => `- ${escapeInline(note)}`).join('\n')}`);
  if (evidence.nodeLogs.length > 0) {
    parts.push(`### ${words.logs}\n\n${evidence.nodeLogs.map(({ node, lines }) => `${escapeInline(node)}:\n\n${codeBlock(lines.join('\n'))}`).join('\n\n')}`);
  }
  return parts.length > 0 ? `## ${words.lab}\n\n${parts.join('\n\n')}` : '';
}
