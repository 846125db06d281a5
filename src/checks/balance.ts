/** Two backends are balanced when their counts differ by at most max(1, 10 % of the total). */
export function balanced(counts: Record<string, number>, names: string[]): { ok: boolean; difference: number; allowed: number; total: number } {
  const values = names.map((name) => counts[name] ?? 0);
  const total = values.reduce((sum, value) => sum + value, 0);
  const difference = Math.max(...values) - Math.min(...values);
  const allowed = Math.max(1, Math.floor(total * 0.1));
  return { ok: total > 0 && difference <= allowed, difference, allowed, total };
}

export function describeCounts(counts: Record<string, number>, names: string[]): string {
  return names.map((name) => `${name} ${counts[name] ?? 0}`).join(', ');
}
