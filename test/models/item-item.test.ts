import { describe, expect, it } from 'vitest';
import { toCsr } from '../../models/data/interactions.ts';
import { ITEM_ITEM_PARAMS, itemItemFlag } from '../../models/train/defaults.ts';
import { fitItemNeighbours, itemItemScores } from '../../models/train/item-item.ts';

// users 0–2 play items 0 and 1 together; user 3 plays 1 and 2; item 3 is played by user 4 alone
const byUser = toCsr(
  5,
  Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4]),
  Int32Array.from([0, 1, 0, 1, 0, 1, 1, 2, 3]),
  Float32Array.from([5, 5, 1, 1, 3, 3, 2, 2, 9]),
);
const params = { alpha: 1, beta: 0, k: 2, blend: 0.5 };

describe('RP3beta item-item neighbours', () => {
  it('Should rank the item co-played by most users first and pad short lists with zero similarity', () => {
    const nb = fitItemNeighbours(byUser, 4, params);
    expect(nb.index.subarray(0, 2)).toEqual(Int32Array.from([1, 0]));
    expect(nb.value[0]).toBeGreaterThan(0);
    expect(nb.value[1]).toBe(0);
    // item 1's walk reaches item 0 (three users) before item 2 (one user)
    expect(Array.from(nb.index.subarray(2, 4))).toEqual([0, 2]);
    expect(nb.value[2]).toBeGreaterThan(nb.value[3]!);
    // an item with no co-played items has no neighbours
    expect(Array.from(nb.value.subarray(6, 8))).toEqual([0, 0]);
  });

  it('Should penalise popular targets more as beta grows', () => {
    const plain = fitItemNeighbours(byUser, 4, params);
    const penalised = fitItemNeighbours(byUser, 4, { ...params, beta: 1 });
    // from item 1: item 0 has 3 users, item 2 has 1, so beta = 1 divides item 0's similarity by 3
    expect(penalised.value[2]! / penalised.value[3]!).toBeCloseTo(plain.value[2]! / plain.value[3]! / 3, 5);
  });

  it('Should scale the blend term so the best item gets exactly the blend weight', () => {
    const nb = fitItemNeighbours(byUser, 4, params);
    const s = itemItemScores(nb, 4, new Map([[1, 10]]));
    expect(Math.max(...s)).toBeCloseTo(0.5, 6);
    expect(s[3]).toBe(0);
    // non-positive strengths contribute nothing instead of NaN
    expect(Array.from(itemItemScores(nb, 4, new Map([[1, -3]])))).toEqual([0, 0, 0, 0]);
  });
});

describe('--item-item-blend', () => {
  it('Should turn the blend off at 0, set its weight otherwise and reject negative or non-numeric values', () => {
    expect(itemItemFlag('0')).toBeNull();
    expect(itemItemFlag('0.3')).toEqual({ ...ITEM_ITEM_PARAMS, blend: 0.3 });
    expect(() => itemItemFlag('-1')).toThrow(/≥ 0/);
    expect(() => itemItemFlag('x')).toThrow(/≥ 0/);
  });
});
