/**
 * Stable assignment of listeners to experiment arms: SHA-256 of `<experiment id>:<user id>`, its
 * first 32 bits read as a fraction of 2³², then cut by the arms' cumulative shares. The same listener
 * lands in the same arm in every isolate and on every request, and the experiment id in the hash
 * keeps one experiment's split independent of the next one's.
 */
import type { Arm } from '../db/experiments.ts';

export type { Arm };

/**
 * The first 32 bits of SHA-256 of `text`, as an unsigned integer: a stable hash for splits and seeds.
 *
 * @example await hash32('rec_0f3a…') // 3145728001 every time
 */
export async function hash32(text: string): Promise<number> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return new DataView(digest).getUint32(0);
}

/**
 * The listener's position in [0, 1) for `experimentId`.
 *
 * @example await bucketOf('exp_1', 'u-42') // 0.7316… every time
 */
export async function bucketOf(experimentId: string, userId: string): Promise<number> {
  return (await hash32(`${experimentId}:${userId}`)) / 2 ** 32;
}

/**
 * The arm covering `bucket` by cumulative shares (the last arm takes any rounding remainder).
 *
 * @example armAt([{ name: 'control', share: 0.5 }, { name: 'new', share: 0.5 }], 0.7).name // 'new'
 */
export function armAt<A extends Pick<Arm, 'share'>>(arms: readonly A[], bucket: number): A {
  let edge = 0;
  for (const arm of arms) {
    edge += arm.share;
    if (bucket < edge) return arm;
  }
  const last = arms.at(-1);
  if (!last) throw new Error('an experiment has at least two arms');
  return last;
}
