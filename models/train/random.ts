export { mulberry32 } from '../../contract/random.ts';

/** Standard normal draws from a uniform source (Box–Muller). */
export function normal(rand: () => number): () => number {
  return () => {
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** Fisher–Yates shuffle in place. */
export function shuffle<T>(a: T[] | Int32Array, rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t as never;
  }
}
