import { describe, expect, it } from 'vitest';
import { toCsr } from '../../models/data/interactions.ts';
import { strongSplit, trainingInteractions } from '../../models/eval/split.ts';

// 40 users × 30 items: users 0–29 share items 0–19; users 30–39 also each have one item (20–29)
// that nobody else has, so whether those stay in the catalogue depends on who is held out.
function fixture() {
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let u = 0; u < 40; u++) {
    for (let k = 0; k < 8; k++) {
      rows.push(u);
      cols.push((u * 3 + k * 7) % 20);
      vals.push(1 + ((u + k) % 5));
    }
    if (u >= 30) {
      rows.push(u);
      cols.push(20 + (u - 30));
      vals.push(9);
    }
  }
  return toCsr(40, Int32Array.from(rows), Int32Array.from(cols), Float32Array.from(vals));
}

const itemsOf = (m: ReturnType<typeof fixture>, u: number) => Array.from(m.indices.subarray(m.indptr[u]!, m.indptr[u + 1]!));

describe('strong-generalisation split', () => {
  it('Should keep only items with a training listener and drop the rest from held-out users before splitting', () => {
    const byUser = fixture();
    const split = strongSplit(byUser, 30, { testUsers: 0.5, historyShare: 0.8, seed: 4, minItems: 1 });
    const heldOut = [...split.heldOut].sort((a, b) => a - b);
    expect(heldOut).toHaveLength(20);
    const trainingItems = new Set<number>();
    for (let u = 0; u < 40; u++) if (!split.heldOut.has(u)) for (const i of itemsOf(byUser, u)) trainingItems.add(i);
    // the catalogue is exactly the training items, in their original order
    expect(Array.from(split.items)).toEqual([...trainingItems].sort((a, b) => a - b));
    expect(split.items.length).toBeLessThan(30); // some private items 20–29 belong to held-out users
    const catalogueOf = new Map(Array.from(split.items, (orig, c) => [orig, c] as const));

    expect(split.test).toHaveLength(heldOut.length);
    heldOut.forEach((u, k) => {
      const t = split.test[k]!;
      const want = itemsOf(byUser, u)
        .filter((i) => catalogueOf.has(i))
        .map((i) => catalogueOf.get(i)!)
        .sort((a, b) => a - b);
      const got = [...t.history, ...t.target].sort((a, b) => a - b);
      expect(got).toEqual(want);
      expect(t.history.length).toBe(Math.round(want.length * 0.8));
      for (const i of t.history) expect(t.target.has(i)).toBe(false);
    });

    // training rows: the other users, remapped column by column, strengths kept
    expect(split.train.indptr.length - 1).toBe(20);
    const trainUsers = Array.from({ length: 40 }, (_, u) => u).filter((u) => !split.heldOut.has(u));
    trainUsers.forEach((u, r) => {
      const cols = Array.from(split.train.indices.subarray(split.train.indptr[r]!, split.train.indptr[r + 1]!), (c) => split.items[c]!);
      expect(cols).toEqual(itemsOf(byUser, u));
    });
    const data = trainingInteractions({ userIds: [], itemIds: Array.from({ length: 30 }, (_, i) => `a${i}`), byUser }, split);
    expect(data.itemIds).toEqual(Array.from(split.items, (i) => `a${i}`));
  });

  it("Should keep every item, and held-out users' private items as targets or history, with catalogue 'all'", () => {
    const byUser = fixture();
    const split = strongSplit(byUser, 30, { testUsers: 0.5, historyShare: 0.8, seed: 4, minItems: 1, catalogue: 'all' });
    expect(Array.from(split.items)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const heldOut = [...split.heldOut].sort((a, b) => a - b);
    heldOut.forEach((u, k) => {
      const t = split.test[k]!;
      expect([...t.history, ...t.target].sort((a, b) => a - b)).toEqual(itemsOf(byUser, u));
    });
  });

  it('Should hold out the same users for a seed whatever the catalogue, and other users for another seed', () => {
    const byUser = fixture();
    const a = strongSplit(byUser, 30, { testUsers: 0.25, historyShare: 0.8, seed: 9 });
    const b = strongSplit(byUser, 30, { testUsers: 0.25, historyShare: 0.8, seed: 9, catalogue: 'all' });
    const c = strongSplit(byUser, 30, { testUsers: 0.25, historyShare: 0.8, seed: 10 });
    expect([...b.heldOut]).toEqual([...a.heldOut]);
    expect([...c.heldOut]).not.toEqual([...a.heldOut]);
  });
});
