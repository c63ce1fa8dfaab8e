/**
 * `npm run bench:ingest`: sustained ingestion through POST /v1/events against a local wrangler dev.
 *
 * Starts its own Worker on a scratch local state, then for concurrency 1 and 8 sends batches of 100
 * events for a fixed time and prints events/s and p50/p99 batch latency. Finally it reads the local
 * D1 file and checks that every acknowledged event is stored exactly once, and that resending
 * acknowledged batches stores nothing new.
 *
 * Options: --seconds N (per concurrency level, default 20), --port P (default 8792).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalD1 } from '../lib/local-d1.ts';
import { apiCall, applyLocalMigrations, ROOT, startDevServer } from '../lib/local-worker.ts';
import { formatMs, percentile } from '../lib/stats.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, port: { type: 'string', default: '8792' } } });
const seconds = Number(values.seconds);
const port = Number(values.port);
if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--seconds must be a positive number');

const BATCH = 100;
const TYPES = ['play_start', 'play_end', 'skip', 'save', 'playlist_add'] as const;
const persistTo = join(ROOT, '.wrangler/state-bench-ingest');
const adminToken = `bench-admin-${Date.now()}`;
rmSync(persistTo, { recursive: true, force: true });
applyLocalMigrations(persistTo);
const server = await startDevServer({ port, persistTo, vars: { ADMIN_TOKEN: adminToken } });

const run = `b${Date.now().toString(36)}`;
let seq = 0;
function makeBatch() {
  const now = Date.now();
  return Array.from({ length: BATCH }, () => {
    seq += 1;
    const type = TYPES[seq % TYPES.length] as (typeof TYPES)[number];
    return {
      event_id: `${run}-${seq}`,
      user_id: `u${seq % 5000}`,
      track_id: `t${(seq * 7919) % 50000}`,
      type,
      ts: now - (seq % 86_400_000),
      ...(type === 'play_end' || type === 'skip' ? { ms_played: 1000 + (seq % 200_000) } : {}),
      context: { source: 'algorithmic', surface: 'home', rec_id: `r${seq % 1000}`, position: seq % 20 },
    };
  });
}

try {
  const minted = await apiCall<{ key: string }>(server.url, adminToken, '/v1/admin/keys', { body: { role: 'app', name: 'bench' } });
  const key = minted.body.key;
  const acked: string[] = [];
  const ackedBatches: ReturnType<typeof makeBatch>[] = [];
  let failures = 0;

  async function send(batch: ReturnType<typeof makeBatch>): Promise<{ ms: number; ok: boolean; stored: number }> {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: batch }),
    });
    const body = (await res.json()) as { stored?: number };
    return { ms: performance.now() - t0, ok: res.status === 200, stored: body.stored ?? 0 };
  }

  console.log(`Ingest benchmark: batches of ${BATCH} events, ${seconds} s per level, Worker on ${server.url}\n`);
  console.log('concurrency  batches   events/s   p50 batch   p99 batch');
  for (const concurrency of [1, 8]) {
    // Warm-up so the first level does not pay for isolate start-up.
    const warmUp = makeBatch();
    if ((await send(warmUp)).ok) for (const e of warmUp) acked.push(e.event_id);
    else failures += 1;
    const latencies: number[] = [];
    let events = 0;
    const started = performance.now();
    const until = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          const batch = makeBatch();
          const r = await send(batch);
          if (!r.ok) {
            failures += 1;
            continue;
          }
          latencies.push(r.ms);
          events += batch.length;
          for (const e of batch) acked.push(e.event_id);
          if (ackedBatches.length < 20) ackedBatches.push(batch);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    console.log(
      `${String(concurrency).padStart(11)}  ${String(latencies.length).padStart(7)}  ${(events / elapsed).toFixed(0).padStart(9)}  ${formatMs(percentile(latencies, 50)).padStart(10)}  ${formatMs(percentile(latencies, 99)).padStart(10)}`,
    );
  }

  // Retries of acknowledged batches must store nothing new.
  let restored = 0;
  for (const batch of ackedBatches) restored += (await send(batch)).stored;

  const db = openLocalD1(persistTo);
  const storedIds = new Set<string>();
  let rows = 0;
  for (const row of db.prepare('SELECT event_id FROM events WHERE event_id LIKE ?').iterate(`${run}-%`)) {
    storedIds.add(String((row as { event_id: string }).event_id));
    rows += 1;
  }
  db.close();
  const missing = acked.filter((id) => !storedIds.has(id)).length;
  console.log(`\nacknowledged ${acked.length} events; stored rows for this run ${rows} (distinct ${storedIds.size}); missing ${missing}`);
  console.log(`failed requests ${failures}; resent ${ackedBatches.length} acknowledged batches -> newly stored ${restored} (must be 0)`);
  const ok = missing === 0 && rows === storedIds.size && restored === 0;
  console.log(ok ? 'verdict: every acknowledged event stored exactly once' : 'verdict: FAILED exactly-once check');
  process.exitCode = ok ? 0 : 1;
} finally {
  await server.stop();
}
