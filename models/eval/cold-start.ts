/**
 * Cold-start protocol: a share of played items is removed from training entirely; the content
 * model must place them, and each user who played some of them must find those among all the cold
 * items, given only their warm history.
 */

import type { ItemContent } from '../data/content-rows.ts';
import { type Csr, toCsr } from '../data/interactions.ts';
import { mulberry32, shuffle } from '../train/random.ts';
import type { HeldOutUser } from './split.ts';

export interface ItemHoldout {
  /** all users, cold items' entries removed */
  train: Csr;
  cold: Int32Array;
  /** users with both warm history and cold items; target = their cold items */
  users: HeldOutUser[];
}

/**
 * @example
 * const { train, cold, users } = itemHoldout(data.byUser, nItems, 0.1, 1);
 */
export function itemHoldout(byUser: Csr, nItems: number, share: number, seed: number): ItemHoldout {
  const played = new Uint8Array(nItems);
  for (const i of byUser.indices) played[i] = 1;
  const candidates = Array.from({ length: nItems }, (_, i) => i).filter((i) => played[i]);
  shuffle(candidates, mulberry32(seed));
  const cold = Int32Array.from(candidates.slice(0, Math.round(candidates.length * share))).sort();
  const isCold = new Uint8Array(nItems);
  for (const i of cold) isCold[i] = 1;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const users: HeldOutUser[] = [];
  const nUsers = byUser.indptr.length - 1;
  for (let u = 0; u < nUsers; u++) {
    const hist: number[] = [];
    const w: number[] = [];
    const target = new Set<number>();
    for (let p = byUser.indptr[u]!; p < byUser.indptr[u + 1]!; p++) {
      const i = byUser.indices[p]!;
      if (isCold[i]) target.add(i);
      else {
        rows.push(u);
        cols.push(i);
        vals.push(byUser.values[p]!);
        hist.push(i);
        w.push(byUser.values[p]!);
      }
    }
    if (hist.length > 0 && target.size > 0) users.push({ history: Int32Array.from(hist), weights: Float32Array.from(w), target });
  }
  return { train: toCsr(nUsers, Int32Array.from(rows), Int32Array.from(cols), Float32Array.from(vals)), cold, users };
}

/**
 * Baseline for cold items: popularity within the user's tags/genre. The user's profile is the share
 * of their warm items carrying each tag (or genre); a cold item scores the sum of its tags' shares.
 */
export function tagPopularityScores(content: readonly ItemContent[], user: HeldOutUser, cold: Int32Array): Float32Array {
  const profile = new Map<string, number>();
  const keys = (c: ItemContent) => [...c.tags.keys(), ...(c.genre ? [`genre:${c.genre}`] : [])];
  for (const j of user.history) for (const t of keys(content[j]!)) profile.set(t, (profile.get(t) ?? 0) + 1 / user.history.length);
  return Float32Array.from(cold, (i) => keys(content[i]!).reduce((s, t) => s + (profile.get(t) ?? 0), 0));
}
