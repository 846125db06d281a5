import { createHash } from 'node:crypto';
import path from 'node:path';

/** File names that say nothing about whose work it is: the folder above names the student. */
const GENERIC_NAME = /^(readme|index|homework|answer|solution|hw)(\.[a-z0-9]+)?$/i;

/**
 * A folder name for a submission's results: a readable slug of its name (with its parent folder's
 * when the name is generic, e.g. ivanov/README.md) and a short hash of the absolute path, so two
 * different paths never share a folder and the same path always gets the same one.
 */
export function submissionId(submissionPath: string): string {
  const absolute = path.resolve(submissionPath);
  const base = path.basename(absolute);
  const named = GENERIC_NAME.test(base) ? `${path.basename(path.dirname(absolute))}-${base}` : base;
  const hash = createHash('sha256').update(absolute).digest('hex').slice(0, 10);
  return `${slug(named)}-${hash}`;
}

/** Russian letters in Latin ones, so a course's student names stay readable in folder names. */
const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k',
  л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts',
  ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** ASCII letters, digits, dots and dashes: Russian is transliterated, other letters lose their accents or go. */
function slug(name: string): string {
  const lower = name.toLowerCase().replace(/[а-яё]/g, (letter) => CYRILLIC[letter] ?? letter);
  const ascii = lower.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const cleaned = ascii.replace(/[^a-z0-9.]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 48).replace(/[-.]+$/, '');
  return cleaned === '' ? 'submission' : cleaned;
}
