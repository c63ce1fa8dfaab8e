/**
 * Seeded PRNG (mulberry32), shared by the trainer (the same --seed gives the same model on any
 * machine) and the Worker (an interleaved list's coin can be replayed from its seed).
 *
 * @example const rand = mulberry32(7); rand() // 0…1, the same sequence every run
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
