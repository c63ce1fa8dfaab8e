/**
 * Property-based fuzz test over every operation of /v1/openapi.json (issue 28, item 2).
 *
 * For each operation: valid requests generated from its parameters and body schema (fast-check), then
 * mutations of them (wrong types, missing and extra fields, huge and deep values, odd unicode, bad ids,
 * broken bodies). Every answer must be under 5 s, never a 5xx, and every 4xx must be the error envelope
 * `{ error: { code, message, details? } }`. A valid request may be answered 404 (no such row) or 409,
 * never refused (400, 413, 415, 422, 429) and never 207 (an item of a batch rejected).
 *
 * Requests use the root admin key (ADMIN), so every route is reachable. A model is uploaded and
 * activated in beforeAll, so recommendations and similar items must answer too (no 503 is accepted).
 *
 * The seed is random; fast-check prints it (with the path) on failure. To replay a failure, pass
 * `{ seed, path }` from the message to `fc.assert` (see ASSERT below).
 */
import { exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, api, event, settleRollups, track } from '../helpers.ts';
import { BUNDLES, putCatalogue, TRACKS, uploadAndActivate } from '../recs/setup.ts';
import { describeWire, type FuzzRequest, mutate, mutationArb, toWire, type Wire } from './mutations.ts';
import { arbitraryOf, type GenOptions, type JsonSchema } from './schema-arbitrary.ts';

/** Runs per operation: 36 operations × (VALID_RUNS + MUTATED_RUNS) requests, about 20 s here. */
const VALID_RUNS = 12;
const MUTATED_RUNS = 24;
/** No shrinking: it would resend big requests for long; the counterexample is short anyway (see mutations.ts). */
const ASSERT = { endOnFailure: true } as const;
const SLOW_MS = 5_000;

/**
 * Operations not fuzzed, with the reason:
 * - uploadModel (POST /v1/admin/models): a multipart bundle of a trained ONNX model cannot be generated from
 *   its schema (format: binary); test/worker/recs/model-lifecycle.test.ts covers uploads and broken bundles.
 * - importHistory (POST /v1/users/{userId}/imports): its body is an export file of another service
 *   (format: binary); test/worker/imports.test.ts covers formats, bad files and roles.
 *
 * Fuzzed although they are admin writes: revokeApiKey only ever reaches keys minted here (the root ADMIN
 * key is not a row, so it cannot be revoked), runArchive and sweepArchive move or delete only what this
 * file's own events left behind, and activateModel can only re-activate the one uploaded version.
 */
const SKIPPED: Record<string, string> = {
  uploadModel: 'multipart ONNX model bundles cannot be generated from the schema',
  importHistory: "a service's export file (format: binary) cannot be generated from the schema; test/worker/imports.test.ts covers it",
  uploadTrackAudio: 'an audio file (format: binary) cannot be generated from the schema; test/worker/audio covers it',
};

const ID_PATTERN = '^[A-Za-z0-9._:@+=~-]{1,128}$';
// `.` and `..` match the pattern but are refused: a URL path resolves them away.
const randomId = fc.stringMatching(new RegExp(ID_PATTERN)).filter((id) => id !== '.' && id !== '..');

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: JsonSchema & { description?: string };
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

const doc = (await (await api('/v1/openapi.json', { key: null })).json()) as Document;
const OPERATIONS = Object.entries(doc.paths).flatMap(([template, item]) =>
  Object.entries(item).map(([method, op]) => ({ method, template, op })),
);

/** Rows seeded in beforeAll; valid requests mostly name these, so they reach real data. */
const rows = {
  tracks: [] as string[],
  artists: [] as string[],
  users: [] as string[],
  segments: [] as string[],
  campaigns: [] as string[],
  keys: [] as string[],
  models: [] as string[],
};

/** Mostly a seeded id, sometimes a fresh one (a 404, or a new row). */
const seeded = (ids: string[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: randomId });

const DAY_MS = 86_400_000;
const MIN_EVENT_MS = Date.UTC(2000, 0, 2);
const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];

/**
 * Names whose valid values the schema cannot describe: ids of seeded rows, IANA time zones (a zod
 * refinement), and event times (2000-01-01 to now, another refinement; mostly in the hot window).
 */
function named(name: string): fc.Arbitrary<unknown> | undefined {
  // Items of id lists (`artist_ids[]`, `seed_artists[]`, `exclude[]`), not of batches (`tracks[]`).
  const item = name.endsWith('[]') && name.includes('_');
  if (name === 'artist_id' || (item && name.includes('artist'))) return seeded(rows.artists);
  if (name === 'track_id' || name === 'exclude[]' || (item && name.includes('track'))) return seeded(rows.tracks);
  if (name === 'user_id') return seeded(rows.users);
  if (name === 'segment_id') return seeded(rows.segments);
  if (name === 'timezone') return fc.constantFrom(...TIME_ZONES);
  if (name === 'ts' || name === 'served_at' || name === 'published_at') {
    const now = Date.now();
    const ms = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: now - 30 * DAY_MS, max: now - 60_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: MIN_EVENT_MS, max: now - 60_000 }) },
    );
    // Epoch milliseconds or ISO 8601 of the same instant.
    return fc.oneof(
      ms,
      ms.map((t) => new Date(t).toISOString()),
    );
  }
  return undefined;
}

/** Path ids: the seeded rows of the resource the path names. */
function pathParam(template: string, name: string): fc.Arbitrary<string> {
  if (name === 'userId') return seeded(rows.users);
  if (name === 'trackId') return seeded(rows.tracks);
  if (name === 'version') return seeded(rows.models);
  const resource = template.split('/')[template.startsWith('/v1/admin/') ? 3 : 2];
  const pools: Record<string, string[]> = {
    tracks: rows.tracks,
    artists: rows.artists,
    users: rows.users,
    segments: rows.segments,
    campaigns: rows.campaigns,
    keys: rows.keys,
  };
  return seeded(pools[resource ?? ''] ?? rows.tracks);
}

/**
 * Comma-separated lists in query strings (`exclude`, `seed_artists`, …): documented as plain strings
 * ("Comma-separated …"), validated as lists of ids. Artists, genres or tracks, after the name.
 */
function commaSeparated(p: Parameter): fc.Arbitrary<string> | undefined {
  if (p.schema.type !== 'string' || !(p.description ?? p.schema.description ?? '').startsWith('Comma-separated')) return undefined;
  const genres = fc.constantFrom('indie', 'ambient', 'rock', 'jazz', 'hip-hop');
  const ids = p.name.includes('artist') ? seeded(rows.artists) : p.name.includes('genre') ? genres : seeded(rows.tracks);
  return fc.array(ids, { maxLength: 4 }).map((a) => a.join(','));
}

/**
 * Cross-field rules the schema cannot express, applied to generated valid requests so they stay valid:
 * - events: `ms_played` is required for play_end and skip;
 * - analytics periods: `from` ≤ `to`, at most 731 days, and a lone `from` no later than today (its `to`);
 * - refreshAnalytics: `stale_from` ≤ `stale_to`;
 * - createCampaign: `ends_at` after `starts_at`;
 * - createApiKey: artist and marketer keys need `artist_ids`, admin and app keys take none;
 * - getRadio: exactly one seed, `track` or `artist`;
 * - startExperiment: arms of the uploaded model with distinct names, shares summing to 1 (or none),
 *   two arms when interleaving;
 * - editorial playlists: tracks of the catalogue, each once; `ends_at` after `starts_at` (a lone
 *   `ends_at` in an update clears `starts_at`, which the stored playlist may hold).
 */
function constrain(operationId: string, req: FuzzRequest): FuzzRequest {
  const body = req.body as Record<string, unknown> | undefined;
  if (operationId === 'ingestEvents' && body) {
    for (const e of body.events as Record<string, unknown>[])
      if ((e.type === 'play_end' || e.type === 'skip') && e.ms_played === undefined) e.ms_played = 30_000;
  }
  if (req.query.from !== undefined || req.query.to !== undefined) constrainPeriod(req.query);
  if (operationId === 'refreshAnalytics' && body?.stale_from && body.stale_to && String(body.stale_from) > String(body.stale_to)) {
    [body.stale_from, body.stale_to] = [body.stale_to, body.stale_from];
  }
  if (operationId === 'createCampaign' && body && Date.parse(String(body.ends_at)) <= Date.parse(String(body.starts_at))) {
    body.ends_at = new Date(Date.parse(String(body.starts_at)) + DAY_MS).toISOString();
  }
  if (operationId === 'createApiKey' && body) {
    const bound = body.role === 'artist' || body.role === 'marketer';
    if (bound && !(Array.isArray(body.artist_ids) && body.artist_ids.length > 0)) body.artist_ids = [rows.artists[0]];
    if (!bound) delete body.artist_ids;
  }
  if ((operationId === 'createEditorialPlaylist' || operationId === 'updateEditorialPlaylist') && body) {
    if (Array.isArray(body.tracks)) body.tracks = rows.tracks.slice(0, body.tracks.length);
    if (body.ends_at && !body.starts_at) body.starts_at = null;
    if (body.ends_at && body.starts_at && Date.parse(String(body.ends_at)) <= Date.parse(String(body.starts_at))) {
      body.ends_at = new Date(Date.parse(String(body.starts_at)) + DAY_MS).toISOString();
    }
  }
  if (operationId === 'startExperiment' && body && Array.isArray(body.arms)) {
    const arms = (body.mode === 'interleave' ? body.arms.slice(0, 2) : body.arms) as Record<string, unknown>[];
    arms.forEach((arm, i) => {
      arm.name = `arm-${i}`;
      arm.model_version = rows.models[0];
      if (body.mode === 'interleave' || arms.some((a) => a.share === undefined)) delete arm.share;
      else arm.share = 1 / arms.length;
    });
    body.arms = arms;
  }
  if (operationId === 'getRadio') {
    if (req.query.track !== undefined) delete req.query.artist;
    else if (req.query.artist === undefined) req.query.track = rows.tracks[0] as string;
  }
  return req;
}

function constrainPeriod(q: Record<string, string>): void {
  const today = new Date().toISOString().slice(0, 10);
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
  const iso = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);
  const to = q.to ?? today;
  let from = q.from ?? iso(day(to) - 27);
  if (from > to) from = iso(day(to) - ((day(from) - day(to)) % 731));
  if (day(to) - day(from) > 730) from = iso(day(to) - ((day(to) - day(from)) % 731));
  if (q.from !== undefined) q.from = from < '2000-01-01' ? '2000-01-01' : from;
}

function requestArb(method: string, template: string, op: Operation): fc.Arbitrary<FuzzRequest> {
  const opts: GenOptions = { components: doc.components.schemas, named, maxItems: 4 };
  const params = op.parameters ?? [];
  const path = Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, pathParam(template, p.name)]));
  const queryParams = params.filter((p) => p.in === 'query');
  const query = fc
    .record(Object.fromEntries(queryParams.map((p) => [p.name, commaSeparated(p) ?? arbitraryOf(p.schema, opts, p.name)])), {
      requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name),
    })
    // Query strings have no null: a null value is left out.
    .map((q) => Object.fromEntries(Object.entries(q).flatMap(([k, v]) => (v === null || v === undefined ? [] : [[k, String(v)]]))));
  const schema = op.requestBody?.content['application/json']?.schema;
  const json = schema ? arbitraryOf(schema, opts) : fc.constant(undefined);
  const body = schema && !op.requestBody?.required ? fc.option(json, { nil: undefined }) : json;
  return fc
    .record({ path: fc.record(path), query, body })
    .map(({ path, query, body }) => constrain(op.operationId, { method, template, path, query, body }));
}

/** Sends a request as a client would, with the admin key. */
function send(w: Wire): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${ADMIN}` };
  if (w.contentType) headers['content-type'] = w.contentType;
  if (w.accept !== undefined) headers.accept = w.accept;
  return exports.default.fetch(`http://backbeat.test${w.url}`, { method: w.method.toUpperCase(), headers, body: w.body });
}

function isErrorEnvelope(text: string): boolean {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  if (body === null || typeof body !== 'object' || Object.keys(body).join() !== 'error') return false;
  const error = (body as { error: unknown }).error as Record<string, unknown> | null;
  if (error === null || typeof error !== 'object') return false;
  return (
    typeof error.code === 'string' &&
    error.code.length > 0 &&
    typeof error.message === 'string' &&
    Object.keys(error).every((k) => k === 'code' || k === 'message' || k === 'details')
  );
}

/** Answers a generated valid request may get: success (204: an erasure), or a row that does not exist or conflicts. */
const VALID_STATUSES = new Set([200, 201, 204, 404, 409]);

/** Sends `w` and throws a readable error for every broken rule. */
async function check(w: Wire, valid: boolean): Promise<void> {
  const started = performance.now();
  const res = await send(w);
  const text = await res.text();
  const ms = Math.round(performance.now() - started);
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`answered ${res.status}`);
  if (res.status >= 400 && res.status < 500 && !isErrorEnvelope(text)) problems.push(`a ${res.status} without the error envelope`);
  if (ms > SLOW_MS) problems.push(`took ${ms} ms (limit ${SLOW_MS})`);
  if (valid && !VALID_STATUSES.has(res.status)) problems.push(`refused a valid request (${res.status})`);
  if (problems.length > 0) {
    throw new Error(`${problems.join('; ')}\n  request: ${describeWire(w)}\n  answer: ${res.status} ${text.slice(0, 600)}`);
  }
}

describe('Fuzzing every operation of /v1/openapi.json', () => {
  beforeAll(async () => {
    // The fixture catalogue (102 tracks, 12 artists) and its model, so recommendations and similar answer.
    await putCatalogue();
    rows.models.push(await uploadAndActivate(BUNDLES[0] as (typeof BUNDLES)[0]));
    const extra = await api('/v1/tracks', { method: 'PUT', body: { tracks: [track('fz-t1', 'fz-a1'), track('fz-t2', 'fz-a1')] } });
    expect(extra.status).toBe(200);
    rows.tracks.push(...TRACKS.slice(0, 6).map((t) => t.id), 'fz-t1', 'fz-t2');
    rows.artists.push('fx-a0', 'fx-a1', 'fx-a2', 'fz-a1');
    rows.users.push('fz-u1', 'fz-u2', 'fz-u3');
    const users = await api('/v1/users', { method: 'PUT', body: { users: [{ id: 'fz-u1', timezone: 'Europe/Berlin', country: 'DE' }] } });
    expect(users.status).toBe(200);

    // Streams and saves of the first artists over the last days, so analytics and segments have rows.
    const now = Date.now();
    const plays = rows.users.flatMap((user_id, u) =>
      rows.tracks.slice(0, 6).flatMap((track_id, t) => {
        const ts = now - ((u + t) % 5) * DAY_MS - 3_600_000;
        return [
          event({ user_id, track_id, ts, context: { source: 'algorithmic', surface: 'home' } }),
          event({ user_id, track_id, type: 'play_end', ms_played: 190_000, ts: ts + 190_000 }),
          ...(t % 2 === 0 ? [event({ user_id, track_id, type: 'save', ts: ts + 200_000 })] : []),
        ];
      }),
    );
    const ingest = await api('/v1/events', { body: { events: plays } });
    expect(ingest.status).toBe(200);
    await settleRollups();

    const segment = await api('/v1/segments', {
      body: { name: 'fuzz listeners', rule: { type: 'super_listeners', artist_id: 'fx-a0', min_streams: 1, min_saves: 0 } },
    });
    expect(segment.status).toBe(201);
    rows.segments.push(((await segment.json()) as { id: string }).id);
    const campaign = await api('/v1/campaigns', {
      body: {
        name: 'fuzz boost',
        segment_id: rows.segments[0],
        track_id: rows.tracks[0],
        starts_at: new Date(now - DAY_MS).toISOString(),
        ends_at: new Date(now + 7 * DAY_MS).toISOString(),
      },
    });
    expect(campaign.status).toBe(201);
    rows.campaigns.push(((await campaign.json()) as { id: string }).id);
    const key = await api('/v1/admin/keys', { body: { role: 'app', name: 'fuzz app key' } });
    expect(key.status).toBe(201);
    rows.keys.push(((await key.json()) as { id: string }).id);
  }, 120_000);

  it('Should cover every operation of the document, but the ones listed as skipped', () => {
    const ids = OPERATIONS.map((o) => o.op.operationId);
    expect(ids.length).toBeGreaterThan(30);
    for (const skipped of Object.keys(SKIPPED)) expect(ids).toContain(skipped);
  });

  for (const { method, template, op } of OPERATIONS) {
    const name = `${op.operationId} (${method.toUpperCase()} ${template})`;
    // Not fuzzed, with the reason in SKIPPED; the coverage test above keeps that list honest.
    if (SKIPPED[op.operationId]) continue;
    const hasBody = method === 'post' || method === 'put' || method === 'patch';

    it(`Should answer valid requests to ${name} without refusing them`, async () => {
      await fc.assert(
        fc.asyncProperty(requestArb(method, template, op), (req) => check(toWire(req), true)),
        { ...ASSERT, numRuns: VALID_RUNS },
      );
    }, 60_000);

    it(`Should answer mutated requests to ${name} with a success or a 4xx envelope, never a 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(requestArb(method, template, op), mutationArb(hasBody), (req, m) => check(mutate(req, m), false)),
        { ...ASSERT, numRuns: MUTATED_RUNS },
      );
    }, 60_000);
  }
});
