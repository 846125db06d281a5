/** One line of `lab:doctor`: what was checked, and for a problem, the exact fix. */
export interface Check {
  status: 'ok' | 'note' | 'problem';
  what: string;
  fix?: string;
}

export const ok = (what: string): Check => ({ status: 'ok', what });
export const note = (what: string): Check => ({ status: 'note', what });
export const problem = (what: string, fix: string): Check => ({ status: 'problem', what, fix });

export function problemsOf(checks: Check[]): Check[] {
  return checks.filter((check) => check.status === 'problem');
}

export function formatCheck(check: Check): string {
  const mark = check.status === 'ok' ? '✓' : check.status === 'note' ? '·' : '✗';
  return `  ${mark} ${check.what}${check.fix ? ` — fix: ${check.fix}` : ''}`;
}
