import { describe, expect, it } from 'vitest';
import { topK } from '../../models/eval/metrics.ts';
import { withEditorialSlot } from '../../models/pipeline/evaluate-editorial.ts';

const ranker = (scores: number[]) => () => Float32Array.from(scores);
const ranked = async (scores: number[], playlist: number[], position: number, history: number[] = []) => {
  const s = await withEditorialSlot(
    ranker(scores),
    Int32Array.from(playlist),
    position,
  )(Int32Array.from(history), new Float32Array(history.length));
  return Array.from(topK(s, scores.length, new Set(history)));
};

describe('Editorial slot in the offline evaluation', () => {
  // Items 0..7 ranked by score: 7, 6, 5, 4, 3, 2, 1, 0.
  const scores = [0, 1, 2, 3, 4, 5, 6, 7];

  it('Should place the playlist item the model scores highest at the slot, the rest moving down around it', async () => {
    expect(await ranked(scores, [1, 2], 3)).toEqual([7, 6, 2, 5, 4, 3, 1, 0]);
    expect(await ranked(scores, [0], 1)).toEqual([0, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('Should move a pick already ranked above the slot down to it, and never pick a played item', async () => {
    expect(await ranked(scores, [7, 1], 3)).toEqual([6, 5, 7, 4, 3, 2, 1, 0]);
    expect(await ranked(scores, [7, 1], 3, [7])).toEqual([6, 5, 1, 4, 3, 2, 0]);
  });

  it('Should leave the list alone when every playlist item was played', async () => {
    expect(await ranked(scores, [7], 3, [7])).toEqual([6, 5, 4, 3, 2, 1, 0]);
  });
});
