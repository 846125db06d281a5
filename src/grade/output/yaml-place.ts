import { isMap, isScalar, type Document, type LineCounter } from 'yaml';

/**
 * file:line:col of a path in a parsed YAML document, for error messages. An unknown key is found
 * as the key itself; a missing one points at the deepest parent that exists.
 */
export function placeOf(doc: Document, lineCounter: LineCounter, file: string, keyPath: readonly (string | number)[], key?: string): string {
  const offset = (key !== undefined ? keyOffset(doc, keyPath, key) : undefined) ?? nodeOffset(doc, keyPath);
  if (offset === undefined) return file;
  const { line, col } = lineCounter.linePos(offset);
  return `${file}:${line}:${col}`;
}

function nodeOffset(doc: Document, keyPath: readonly (string | number)[]): number | undefined {
  for (let length = keyPath.length; length >= 0; length -= 1) {
    const node = doc.getIn(keyPath.slice(0, length), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return node.range[0];
  }
  return undefined;
}

function keyOffset(doc: Document, keyPath: readonly (string | number)[], key: string): number | undefined {
  const parent = keyPath.length === 0 ? doc.contents : doc.getIn(keyPath, true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
  return isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
}
