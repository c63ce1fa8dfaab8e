/**
 * The ingesting side of `npm run bench:analytics -- --live`, run as its own process (forked with an
 * IPC channel): sends play_start/play_end/skip/save events of TODAY for tracks and users of the
 * generated world through POST /v1/events at a steady rate, until the parent says stop.
 *
 * Messages to the parent: `{ type: 'ack', at, events }` for every acknowledged batch (`at` is
 * Date.now() when the answer arrived) and, after `{ type: 'stop' }`, one
 * `{ type: 'done', events, seconds, failures, latencies }` before it exits.
 *
 * Options: --url U --key K --rate N (events/s, 1000) --artists N --tracks-per-artist N (4) --users N
 * --batch N (events per request, default rate / 10, at most 500) --concurrency N (requests in flight, 4).
 */
import { parseArgs } from 'node:util';
import { mulberry32 } from '../../models/train/random.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    key: { type: 'string' },
    rate: { type: 'string', default: '1000' },
    artists: { type: 'string', default: '5000' },
    'tracks-per-artist': { type: 'string', default: '4' },
    users: { type: 'string', default: '30000' },
    batch: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
  },
});
if (!values.url || !values.key) throw new Error('--url and --key are required');
const url = values.url;
const key = values.key;
const RATE = Number(values.rate);
const ARTISTS = Number(values.artists);
const TRACKS_PER_ARTIST = Number(values['tracks-per-artist']);
const USERS = Number(values.users);
const BATCH = Math.max(1, Math.min(500, Number(values.batch ?? Math.round(RATE / 10))));
const CONCURRENCY = Number(values.concurrency);
const DAY = 86_400_000;

const rand = mulberry32(Date.now() >>> 0);
const run = `live${Date.now().toString(36)}`;
let seq = 0;

function event(): Record<string, unknown> {
  seq += 1;
  // Half the plays go to the 100 most popular artists, like the reads the parent makes.
  const a = rand() < 0.5 ? Math.floor(rand() * Math.min(100, ARTISTS)) : Math.floor(rand() * ARTISTS);
  const track = `t${a}-${Math.floor(rand() * TRACKS_PER_ARTIST)}`;
  const user = `u${rand() < 0.7 ? (a * 7 + Math.floor(rand() * 40)) % USERS : Math.floor(rand() * USERS)}`;
  const now = Date.now();
  // Today (UTC), a few seconds ago: never before midnight.
  const ts = Math.max(Math.floor(now / DAY) * DAY, now - Math.floor(rand() * 5_000));
  const r = seq % 4;
  const type = r === 0 || r === 2 ? 'play_start' : r === 1 ? 'play_end' : rand() < 0.9 ? 'skip' : 'save';
  const ms =
    type === 'play_end' ? 60_000 + Math.floor(rand() * 180_000) : type === 'skip' ? 1_000 + Math.floor(rand() * 60_000) : undefined;
  return {
    event_id: `${run}-${seq}`,
    user_id: user,
    track_id: track,
    type,
    ts,
    ...(ms === undefined ? {} : { ms_played: ms }),
    context: { source: rand() < 0.3 ? 'algorithmic' : 'library' },
  };
}

let stopping = false;
let events = 0;
let failures = 0;
const latencies: number[] = [];

async function send(): Promise<void> {
  const batch = Array.from({ length: BATCH }, event);
  const t0 = performance.now();
  try {
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: batch }),
    });
    await res.text();
    if (res.status !== 200) {
      failures += 1;
      return;
    }
  } catch {
    failures += 1;
    return;
  }
  latencies.push(performance.now() - t0);
  events += batch.length;
  process.send?.({ type: 'ack', at: Date.now(), events: batch.length });
}

process.on('message', (m: { type?: string }) => {
  if (m?.type === 'stop') stopping = true;
});
// The parent going away (Ctrl+C, crash) ends this process too.
process.on('disconnect', () => {
  stopping = true;
});

const started = performance.now();
let sent = 0;
let inFlight = 0;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const flights = new Set<Promise<void>>();
// Open loop: batches leave on schedule (rate / batch per second) whatever the latency, up to
// CONCURRENCY in flight; a schedule that cannot be kept shows as a lower held rate.
while (!stopping) {
  const due = Math.floor((((performance.now() - started) / 1000) * RATE) / BATCH);
  while (sent < due && inFlight < CONCURRENCY && !stopping) {
    sent += 1;
    inFlight += 1;
    const p: Promise<void> = send().finally(() => {
      inFlight -= 1;
      flights.delete(p);
    });
    flights.add(p);
  }
  await wait(5);
}
await Promise.all(flights);
const seconds = (performance.now() - started) / 1000;
process.send?.({ type: 'done', events, seconds, failures, latencies }, () => process.exit(0));
