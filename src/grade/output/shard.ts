import { createHash } from 'node:crypto';
import { LabError } from '../../errors.js';

export interface Shard {
  /** 1-based, as CI matrices count: shard 1/3, 2/3, 3/3. */
  index: number;
  count: number;
}

/** Reads "i/n" (1 ≤ i ≤ n). */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new LabError('USAGE', `--shard ${JSON.stringify(text)} is not a shard: expected i/n with 1 ≤ i ≤ n`, {
      hint: 'e.g. --shard 1/3, --shard 2/3 and --shard 3/3 together grade every submission once',
    });
  }
  return { index, count };
}

/**
 * The items of shard i/n: an item belongs to the shard its key hashes to, never by position, so
 * adding or removing a submission moves no other one. Keys must be the same on every runner
 * (e.g. paths relative to the submissions folder, not absolute ones).
 */
export function selectShard<T>(items: readonly T[], shard: string, key: (item: T) => string = String): T[] {
  const { index, count } = parseShard(shard);
  return items.filter((item) => shardOf(key(item), count) === index);
}

/** The 1-based shard a key falls in. */
export function shardOf(key: string, count: number): number {
  return (createHash('sha256').update(key).digest().readUInt32BE(0) % count) + 1;
}
