/**
 * npm run bench:train [-- --users N --items N --interactions N --factors N --iterations N --threads N]
 * Trains ALS on a generated dataset (default 200 000 users × 50 000 items × 10 000 000 interactions,
 * Zipf-like item popularity) and prints seconds per iteration, where they go, and peak memory.
 */
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { toCsr } from '../data/interactions.ts';
import { DEFAULT_ALS_PARAMS, trainAls } from '../train/als.ts';
import { mulberry32 } from '../train/random.ts';

const { values: a } = parseArgs({
  options: {
    users: { type: 'string', default: '200000' },
    items: { type: 'string', default: '50000' },
    interactions: { type: 'string', default: '10000000' },
    factors: { type: 'string', default: '64' },
    iterations: { type: 'string', default: '3' },
    threads: { type: 'string' },
  },
});
const nUsers = Number(a.users);
const nItems = Number(a.items);
const n = Number(a.interactions);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

const t0 = performance.now();
const rand = mulberry32(1);
const rows = new Int32Array(n);
const cols = new Int32Array(n);
const vals = new Float32Array(n);
for (let k = 0; k < n; k++) {
  rows[k] = Math.floor(rand() * nUsers);
  // u^3 skews picks to low indices: a long-tailed catalogue like real listening
  cols[k] = Math.floor(rand() ** 3 * nItems);
  vals[k] = 1 + Math.floor(-Math.log(1 - rand()) * 5);
}
const csr = toCsr(nUsers, rows, cols, vals, n);
console.log(
  `generated ${nUsers} users × ${nItems} items, ${n} interactions (${csr.indices.length} distinct pairs) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
console.log(
  `machine: ${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (shared machine: other work slows this down)`,
);

const params = { ...DEFAULT_ALS_PARAMS, factors: Number(a.factors), iterations: Number(a.iterations) };
const threads = a.threads ? Number(a.threads) : undefined;
const times: number[] = [];
await trainAls(csr, nItems, params, {
  ...(threads ? { threads } : {}),
  onIteration: (r) => {
    times.push(r.seconds);
    console.log(
      `iteration ${r.iteration}: ${r.seconds.toFixed(2)} s (users ${r.userSeconds.toFixed(2)} s, items ${r.itemSeconds.toFixed(2)} s), loss ${r.loss.toExponential(4)}`,
    );
  },
});
const mean = times.reduce((s, t) => s + t, 0) / times.length;
console.log(`mean ${mean.toFixed(2)} s per iteration at ${params.factors} dims, ${params.cgSteps} CG steps per row`);
console.log(
  `peak memory (max RSS, all threads): ${mb(process.resourceUsage().maxRSS * 1024)}; load average now ${loadavg()[0]!.toFixed(2)}`,
);
