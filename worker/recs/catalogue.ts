/**
 * What the re-ranker knows about every track, as flat arrays indexed like the model: indices
 * 0..N-1 are the model's items (items.json order), N.. are catalogue tracks the model has never
 * seen (embedded by content.onnx when the bundle has one). Built once per isolate and model
 * version from D1 and refreshed in the background, so requests never read the whole catalogue.
 */
import { type CatalogueRow, contentFeatureVector } from '../../contract/content-features.ts';
import { DAY_MS } from '../../contract/events.ts';
import type { Db } from '../db/client.ts';
import { CATALOGUE_COLUMNS, type CatalogueColumn, catalogueRows, trackImpressions, trackPlayCounts } from '../db/recs.ts';
import { type LoadedModel, unitRows } from '../model/loaded-model.ts';
import { CONTEXT_FEATURES, normaliseFeature } from './context.ts';

/** Released within this many days: a "new release". */
const NEW_RELEASE_DAYS = 30;

/** Tracks released at or after this instant are new releases at `now`. */
export function newReleaseSince(now: number): number {
  return now - NEW_RELEASE_DAYS * DAY_MS;
}
/** Artists at or below this quantile of exposure (impressions + streams, 7 days) are under-exposed. */
const UNDER_EXPOSED_QUANTILE = 0.3;
const POPULAR_KEEP = 2000;
const POPULAR_PER_GENRE = 300;
const CONTENT_BATCH = 512;

export interface Catalogue {
  builtAt: number;
  /**
   * Every catalogue row with updated_at at or before this instant is in the view; rows after it
   * are read by `extendCatalogue` (see catalogue-cache.ts), so an upload is served at once.
   */
  updatedThrough: number;
  /** Model items. */
  modelItems: number;
  /** Model items plus unseen catalogue tracks. */
  size: number;
  ids: string[];
  indexOf: Map<string, number>;
  /** 1 when the track is in the catalogue (a model item may have been deleted since training). */
  listed: Uint8Array;
  titles: string[];
  artistOf: Int32Array;
  artistIds: string[];
  artistNames: string[];
  artistIndex: Map<string, number>;
  tracksOfArtist: number[][];
  genreOf: Int32Array;
  genres: string[];
  genreIndex: Map<string, number>;
  releasedAt: Float64Array;
  durationMs: Float64Array;
  /** [size, CONTEXT_FEATURES.length], NaN when unknown, each in 0..1. */
  contextFeatures: Float32Array;
  /** Streams in the last 7 days (plays started when no play_end is sent). */
  popularity: Float32Array;
  underExposedArtist: Uint8Array;
  /** Track indices by 7-day popularity, most popular first (top POPULAR_KEEP). */
  popular: Int32Array;
  popularInGenre: Map<number, Int32Array>;
  /** Tracks released within NEW_RELEASE_DAYS, newest first. */
  newReleases: Int32Array;
  /** Content embeddings of unseen tracks, [size - modelItems, dims]: raw (for scoring) and unit (for cosine). */
  coldEmbeddings: Float32Array;
  coldUnitEmbeddings: Float32Array;
}

/**
 * Rows whose updated_at is this close to the read are read again by the next delta: an upload that
 * commits a moment after a later one (its clock read first) is still picked up.
 */
const SETTLE_MS = 2000;

function col(name: CatalogueColumn): number {
  return CATALOGUE_COLUMNS.indexOf(name);
}

/** The updated_at of a raw row (the column after CATALOGUE_COLUMNS, see catalogueRows). */
function updatedAtOf(r: unknown[]): number {
  return Number(r[CATALOGUE_COLUMNS.length] ?? 0);
}

/** The k most popular of `pool`; tracks never played stay in, newest release first, so a new catalogue still has a list. */
function topIndices(values: Float32Array, releasedAt: Float64Array, pool: Iterable<number>, k: number): Int32Array {
  const released = (i: number) => (Number.isNaN(releasedAt[i] as number) ? 0 : (releasedAt[i] as number));
  const picked = [...pool].sort((a, b) => (values[b] as number) - (values[a] as number) || released(b) - released(a) || a - b);
  return Int32Array.from(picked.slice(0, k));
}

/** Writes one raw catalogue row into track index `i`, registering its artist and genre when new. */
function fillRow(c: Catalogue, i: number, r: unknown[]): void {
  c.listed[i] = 1;
  c.titles[i] = String(r[col('title')]);
  const artistId = String(r[col('artist_id')]);
  let a = c.artistIndex.get(artistId);
  if (a === undefined) {
    a = c.artistIds.length;
    c.artistIndex.set(artistId, a);
    c.artistIds.push(artistId);
    c.artistNames.push(String(r[col('artist_name')]));
    c.tracksOfArtist.push([]);
  }
  c.artistOf[i] = a;
  c.tracksOfArtist[a]?.push(i);
  const genre = r[col('genre')];
  if (typeof genre === 'string') {
    let g = c.genreIndex.get(genre);
    if (g === undefined) {
      g = c.genres.length;
      c.genreIndex.set(genre, g);
      c.genres.push(genre);
    }
    c.genreOf[i] = g;
  }
  const release = r[col('release_date')];
  if (typeof release === 'string') c.releasedAt[i] = Date.parse(release);
  c.durationMs[i] = Number(r[col('duration_ms')]);
  for (const [f, name] of CONTEXT_FEATURES.entries()) {
    const v = r[col(name)];
    if (typeof v === 'number') c.contextFeatures[i * CONTEXT_FEATURES.length + f] = normaliseFeature(name, v);
  }
}

/** Tracks of `indices` released within NEW_RELEASE_DAYS of `now` (and not in the future), newest first. */
function newReleasesOf(c: Catalogue, indices: Iterable<number>, now: number): number[] {
  const since = newReleaseSince(now);
  return [...indices]
    .filter((i) => (c.releasedAt[i] as number) >= since && (c.releasedAt[i] as number) <= now)
    .sort((a, b) => (c.releasedAt[b] as number) - (c.releasedAt[a] as number));
}

/** An empty view of `size` tracks whose first ids are the model's items. */
function emptyCatalogue(model: LoadedModel, ids: string[], now: number): Catalogue {
  const size = ids.length;
  return {
    builtAt: now,
    updatedThrough: 0,
    modelItems: model.items.length,
    size,
    ids,
    indexOf: new Map(ids.map((id, i) => [id, i])),
    listed: new Uint8Array(size),
    titles: new Array<string>(size).fill(''),
    artistOf: new Int32Array(size).fill(-1),
    artistIds: [],
    artistNames: [],
    artistIndex: new Map(),
    tracksOfArtist: [],
    genreOf: new Int32Array(size).fill(-1),
    genres: [],
    genreIndex: new Map(),
    releasedAt: new Float64Array(size).fill(Number.NaN),
    durationMs: new Float64Array(size).fill(Number.NaN),
    contextFeatures: new Float32Array(size * CONTEXT_FEATURES.length).fill(Number.NaN),
    popularity: new Float32Array(size),
    underExposedArtist: new Uint8Array(0),
    popular: new Int32Array(0),
    popularInGenre: new Map(),
    newReleases: new Int32Array(0),
    coldEmbeddings: new Float32Array(0),
    coldUnitEmbeddings: new Float32Array(0),
  };
}

/**
 * Builds the catalogue view for one model from D1 (three reads: tracks, 7-day plays, 7-day impressions).
 *
 * @example const catalogue = await buildCatalogue(createDb(env.DB), model, Date.now());
 */
export async function buildCatalogue(db: Db, model: LoadedModel, now: number): Promise<Catalogue> {
  const since = now - 7 * DAY_MS;
  const [rows, plays, impressions] = await Promise.all([catalogueRows(db), trackPlayCounts(db, since), trackImpressions(db, since)]);
  const byId = new Map<string, unknown[]>();
  for (const r of rows) byId.set(String(r[0]), r);
  const ids = [...model.items];
  const unseen: unknown[][] = [];
  for (const [id, r] of byId) if (!model.indexOf.has(id)) unseen.push(r);
  for (const r of unseen) ids.push(String(r[0]));
  const c = emptyCatalogue(model, ids, now);
  let updatedThrough = 0;
  for (let i = 0; i < c.size; i++) {
    const r = byId.get(ids[i] as string);
    if (!r) continue;
    fillRow(c, i, r);
    updatedThrough = Math.max(updatedThrough, updatedAtOf(r));
  }
  c.updatedThrough = Math.min(updatedThrough, now - SETTLE_MS);

  const anyStreams = plays.some((p) => p.streams > 0);
  for (const p of plays) {
    const i = c.indexOf.get(p.trackId);
    if (i !== undefined) c.popularity[i] = anyStreams ? p.streams : p.starts;
  }
  const exposure = new Float64Array(c.artistIds.length);
  const expose = (i: number, amount: number) => {
    const a = c.artistOf[i] as number;
    if (a >= 0) exposure[a] = (exposure[a] as number) + amount;
  };
  for (let i = 0; i < c.size; i++) expose(i, c.popularity[i] as number);
  for (const imp of impressions) {
    const i = c.indexOf.get(imp.trackId);
    if (i !== undefined) expose(i, imp.impressions);
  }
  const sortedExposure = [...exposure].sort((a, b) => a - b);
  const threshold = sortedExposure[Math.floor(UNDER_EXPOSED_QUANTILE * Math.max(0, sortedExposure.length - 1))] ?? 0;
  c.underExposedArtist = Uint8Array.from(exposure, (e) => (e <= threshold ? 1 : 0));

  const listedIdx = [...Array(c.size).keys()].filter((i) => c.listed[i] === 1);
  c.popular = topIndices(c.popularity, c.releasedAt, listedIdx, POPULAR_KEEP);
  const byGenre = new Map<number, number[]>();
  for (const i of listedIdx) {
    const g = c.genreOf[i] as number;
    if (g < 0) continue;
    const list = byGenre.get(g);
    if (list) list.push(i);
    else byGenre.set(g, [i]);
  }
  for (const [g, list] of byGenre) c.popularInGenre.set(g, topIndices(c.popularity, c.releasedAt, list, POPULAR_PER_GENRE));
  c.newReleases = Int32Array.from(newReleasesOf(c, listedIdx, now));

  const { raw, unit } = await embedRows(model, unseen);
  c.coldEmbeddings = raw;
  c.coldUnitEmbeddings = unit;
  return c;
}

function grown<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(a: T, extra: number, fill: number): T {
  const out = new (a.constructor as new (n: number) => T)(a.length + extra);
  out.set(a);
  out.fill(fill, a.length);
  return out;
}

/**
 * A new view: `view` plus the tracks of `rows` (raw catalogue rows, updated_at after
 * `view.updatedThrough`) that it does not hold yet, embedded by content.onnx, so a track is
 * recommendable and has neighbours the moment its upload is acknowledged. Rows of tracks already
 * in the view only move the watermark: their changes arrive with the next full build (CATALOGUE_TTL_MS).
 * `view` itself is left as it is, since a request may still be reading it.
 *
 * @example const next = await extendCatalogue(model, view, await catalogueRowsSince(db, view.updatedThrough), Date.now());
 */
export async function extendCatalogue(model: LoadedModel, view: Catalogue, rows: readonly unknown[][], now: number): Promise<Catalogue> {
  const latest = rows.reduce((m, r) => Math.max(m, updatedAtOf(r)), view.updatedThrough);
  const updatedThrough = Math.max(view.updatedThrough, Math.min(latest, now - SETTLE_MS));
  const seen = new Set<string>();
  const fresh = rows.filter((r) => {
    const id = String(r[0]);
    if (view.indexOf.has(id) || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  if (fresh.length === 0) return { ...view, updatedThrough };
  const m = fresh.length;
  const width = CONTEXT_FEATURES.length;
  const c: Catalogue = {
    ...view,
    updatedThrough,
    size: view.size + m,
    ids: [...view.ids, ...fresh.map((r) => String(r[0]))],
    indexOf: new Map(view.indexOf),
    listed: grown(view.listed, m, 0),
    titles: [...view.titles, ...new Array<string>(m).fill('')],
    artistOf: grown(view.artistOf, m, -1),
    artistIds: [...view.artistIds],
    artistNames: [...view.artistNames],
    artistIndex: new Map(view.artistIndex),
    tracksOfArtist: view.tracksOfArtist.map((t) => [...t]),
    genreOf: grown(view.genreOf, m, -1),
    genres: [...view.genres],
    genreIndex: new Map(view.genreIndex),
    releasedAt: grown(view.releasedAt, m, Number.NaN),
    durationMs: grown(view.durationMs, m, Number.NaN),
    contextFeatures: grown(view.contextFeatures, m * width, Number.NaN),
    popularity: grown(view.popularity, m, 0),
    popularInGenre: new Map(view.popularInGenre),
  };
  const added: number[] = [];
  for (const [k, r] of fresh.entries()) {
    const i = view.size + k;
    c.indexOf.set(c.ids[i] as string, i);
    fillRow(c, i, r);
    added.push(i);
  }
  // New artists have no exposure yet: under-exposed by definition.
  c.underExposedArtist = grown(view.underExposedArtist, c.artistIds.length - view.artistIds.length, 1);
  if (c.popular.length < POPULAR_KEEP) c.popular = Int32Array.from([...view.popular, ...added].slice(0, POPULAR_KEEP));
  const touched = new Set(added.map((i) => c.genreOf[i] as number).filter((g) => g >= 0));
  for (const g of touched) {
    const members = [...(view.popularInGenre.get(g) ?? []), ...added.filter((i) => c.genreOf[i] === g)];
    c.popularInGenre.set(g, topIndices(c.popularity, c.releasedAt, members, POPULAR_PER_GENRE));
  }
  c.newReleases = Int32Array.from(newReleasesOf(c, [...view.newReleases, ...added], now));
  const { raw, unit } = await embedRows(model, fresh);
  c.coldEmbeddings = new Float32Array(view.coldEmbeddings.length + raw.length);
  c.coldEmbeddings.set(view.coldEmbeddings);
  c.coldEmbeddings.set(raw, view.coldEmbeddings.length);
  c.coldUnitEmbeddings = new Float32Array(view.coldUnitEmbeddings.length + unit.length);
  c.coldUnitEmbeddings.set(view.coldUnitEmbeddings);
  c.coldUnitEmbeddings.set(unit, view.coldUnitEmbeddings.length);
  return c;
}

function contentRow(r: unknown[]): CatalogueRow {
  const out: CatalogueRow = {};
  for (const [i, name] of CATALOGUE_COLUMNS.entries())
    out[name] = name === 'tags' && typeof r[i] === 'string' ? JSON.parse(r[i] as string) : r[i];
  return out;
}

/** Content embeddings of tracks the model never saw; zeros (never recommended by score) without content.onnx. */
async function embedRows(model: LoadedModel, unseen: unknown[][]): Promise<{ raw: Float32Array; unit: Float32Array }> {
  const d = model.dims;
  const raw = new Float32Array(unseen.length * d);
  if (model.embedContent && unseen.length > 0) {
    const features = model.manifest.contentFeatures;
    for (let start = 0; start < unseen.length; start += CONTENT_BATCH) {
      const batch = unseen.slice(start, start + CONTENT_BATCH);
      const matrix = new Float32Array(batch.length * features.length);
      for (const [r, row] of batch.entries()) matrix.set(contentFeatureVector(features, contentRow(row)), r * features.length);
      const emb = await model.embedContent(matrix, batch.length);
      const width = emb.length / batch.length;
      for (let r = 0; r < batch.length; r++) {
        for (let k = 0; k < d; k++) raw[(start + r) * d + k] = emb[r * width + k] as number;
      }
    }
  }
  return { raw, unit: unitRows(raw, unseen.length, d, d) };
}

/** Unit embedding row of any track index (model item or unseen), for cosine similarity. */
export function unitEmbedding(model: LoadedModel, catalogue: Catalogue, i: number): Float32Array {
  const d = model.dims;
  if (i < catalogue.modelItems) return model.unitEmbeddings.subarray(i * d, (i + 1) * d);
  const j = i - catalogue.modelItems;
  return catalogue.coldUnitEmbeddings.subarray(j * d, (j + 1) * d);
}
