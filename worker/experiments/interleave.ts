/**
 * Team-draft interleaving (Radlinski, Kurup & Joachims 2008; Chapelle, Joachims, Radlinski & Yue
 * 2012). Two rankers' lists are merged into one: in each round the team with fewer picks (a coin
 * decides ties) adds its best track not yet in the list. A stream then credits the team that placed
 * the track, and the ranker whose tracks the listener streams more wins that listener. Both rankers
 * see every listener, so far fewer listeners reach the same confidence as a split test.
 */
import { mulberry32 } from '../../contract/random.ts';
import { hash32 } from './assign.ts';

export type Team = 'a' | 'b';

export interface Drafted<T> {
  item: T;
  team: Team;
}

/**
 * Merges `a` and `b` (each best first) into up to `limit` distinct items by `key`.
 * `coin()` answers true when A picks first in a tied round; pass a seeded one to replay a list.
 *
 * @example teamDraft(['x', 'y'], ['y', 'z'], 3, (s) => s, () => true)
 * // [{ item: 'x', team: 'a' }, { item: 'y', team: 'b' }, { item: 'z', team: 'b' }] … or with B first
 */
export function teamDraft<T>(a: readonly T[], b: readonly T[], limit: number, key: (item: T) => string, coin: () => boolean): Drafted<T>[] {
  const out: Drafted<T>[] = [];
  const taken = new Set<string>();
  let picksA = 0;
  let picksB = 0;
  let ia = 0;
  let ib = 0;
  const nextOf = (list: readonly T[], from: number): number => {
    let i = from;
    while (i < list.length && taken.has(key(list[i] as T))) i++;
    return i;
  };
  while (out.length < limit) {
    ia = nextOf(a, ia);
    ib = nextOf(b, ib);
    const aLeft = ia < a.length;
    const bLeft = ib < b.length;
    if (!aLeft && !bLeft) break;
    const aTurn = aLeft && (!bLeft || picksA < picksB || (picksA === picksB && coin()));
    const item = (aTurn ? a[ia] : b[ib]) as T;
    taken.add(key(item));
    out.push({ item, team: aTurn ? 'a' : 'b' });
    if (aTurn) picksA++;
    else picksB++;
  }
  return out;
}

/** Per listener: streams credited to each team. */
export interface Credit {
  a: number;
  b: number;
}

/** Who a listener prefers: 1 for B, 0 for A, ½ for a tie (the score whose mean is B's preference share). */
export function preferenceOf(credit: Credit): number {
  return credit.b > credit.a ? 1 : credit.b < credit.a ? 0 : 0.5;
}

/**
 * A deterministic coin from a 32-bit seed, so a served list can be replayed.
 *
 * @example const coin = seededCoin(0x9e3779b9); coin() // true or false, the same every run
 */
export function seededCoin(seed: number): () => boolean {
  const rand = mulberry32(seed);
  return () => rand() < 0.5;
}

/** rec_lists.arm of a team-draft list: its items carry their own arm. */
export const INTERLEAVED_ARM = 'interleaved';

/** A 32-bit seed from a list id, so an interleaved list's coin flips can be replayed from its rec_id. */
export const seedOf = (recId: string): Promise<number> => hash32(recId);
