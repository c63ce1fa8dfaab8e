/**
 * Item tag vectors for the tag-similarity retriever and features: tf-idf weights
 * `ln(1 + taggings) · ln(N / items with the tag)`, the `t` strongest tags per item kept, each row
 * L2-normalised. Stored as a padded `[N, t]` table of (tag index, weight) so the graph can Gather it.
 */

export interface TagTable {
  /** tags kept per item (rows padded with tag 0, weight 0) */
  t: number;
  /** distinct tags over all rows */
  vocabulary: number;
  /** nItems × t tag indices */
  index: Int32Array;
  /** nItems × t weights */
  value: Float32Array;
}

/** One tagging counted towards an item (catalogue index). */
export interface ItemTagging {
  item: number;
  tag: string;
}

/**
 * @example
 * const tags = tagTable(nItems, [{ item: 3, tag: 'jazz' }], 16);
 */
export function tagTable(nItems: number, taggings: Iterable<ItemTagging>, t: number, minItems = 2): TagTable {
  const counts: Map<string, number>[] = Array.from({ length: nItems }, () => new Map());
  for (const { item, tag } of taggings) counts[item]!.set(tag, (counts[item]!.get(tag) ?? 0) + 1);
  const df = new Map<string, number>();
  for (const c of counts) for (const tag of c.keys()) df.set(tag, (df.get(tag) ?? 0) + 1);
  const vocab = new Map<string, number>();
  for (const [tag, n] of [...df].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (n >= minItems) vocab.set(tag, vocab.size);
  const tagged = counts.filter((c) => c.size > 0).length || 1;
  const index = new Int32Array(nItems * t);
  const value = new Float32Array(nItems * t);
  counts.forEach((c, i) => {
    const row = [...c]
      .filter(([tag]) => vocab.has(tag))
      .map(([tag, n]) => [vocab.get(tag)!, Math.log1p(n) * Math.log(tagged / df.get(tag)!)] as const)
      .filter(([, w]) => w > 0)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, t);
    const norm = Math.sqrt(row.reduce((s, [, w]) => s + w * w, 0)) || 1;
    row.forEach(([k, w], q) => {
      index[i * t + q] = k;
      value[i * t + q] = w / norm;
    });
  });
  return { t, vocabulary: Math.max(vocab.size, 1), index, value };
}
