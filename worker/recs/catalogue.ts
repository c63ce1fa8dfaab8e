/**
 * What the re-ranker knows about every track, as flat arrays indexed like the model: indices
 * 0..N-1 are the model's items (items.json order), N.. are catalogue tracks the model has never
 * seen (embedded by content.onnx when the bundle has one). Built once per isolate and model
 * version from D1 and refreshed in the background, so requests never read the whole catalogue.
 */
import { type CatalogueRow, contentFeatureVector } from '../../models/bundle/content-features.ts';
import { DAY_MS } from '../analytics/definitions.ts';
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

function col(name: CatalogueColumn): number {
  return CATALOGUE_COLUMNS.indexOf(name);
}

/** The k most popular of `pool`; tracks never played stay in, newest release first, so a new catalogue still has a list. */
function topIndices(values: Float32Array, releasedAt: Float64Array, pool: Iterable<number>, k: number): Int32Array {
  const released = (i: number) => (Number.isNaN(releasedAt[i] as number) ? 0 : (releasedAt[i] as number));
  const picked = [...pool].sort((a, b) => (values[b] as number) - (values[a] as number) || released(b) - released(a) || a - b);
  return Int32Array.from(picked.slice(0, k));
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
  const size = ids.length;
  const indexOf = new Map(ids.map((id, i) => [id, i]));

  const listed = new Uint8Array(size);
  const titles = new Array<string>(size).fill('');
  const artistOf = new Int32Array(size).fill(-1);
  const genreOf = new Int32Array(size).fill(-1);
  const releasedAt = new Float64Array(size).fill(Number.NaN);
  const durationMs = new Float64Array(size).fill(Number.NaN);
  const contextFeatures = new Float32Array(size * CONTEXT_FEATURES.length).fill(Number.NaN);
  const artistIds: string[] = [];
  const artistNames: string[] = [];
  const artistIndex = new Map<string, number>();
  const tracksOfArtist: number[][] = [];
  const genres: string[] = [];
  const genreIndex = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    const r = byId.get(ids[i] as string);
    if (!r) continue;
    listed[i] = 1;
    titles[i] = String(r[col('title')]);
    const artistId = String(r[col('artist_id')]);
    let a = artistIndex.get(artistId);
    if (a === undefined) {
      a = artistIds.length;
      artistIndex.set(artistId, a);
      artistIds.push(artistId);
      artistNames.push(String(r[col('artist_name')]));
      tracksOfArtist.push([]);
    }
    artistOf[i] = a;
    tracksOfArtist[a]?.push(i);
    const genre = r[col('genre')];
    if (typeof genre === 'string') {
      let g = genreIndex.get(genre);
      if (g === undefined) {
        g = genres.length;
        genreIndex.set(genre, g);
        genres.push(genre);
      }
      genreOf[i] = g;
    }
    const release = r[col('release_date')];
    if (typeof release === 'string') releasedAt[i] = Date.parse(release);
    durationMs[i] = Number(r[col('duration_ms')]);
    for (const [f, name] of CONTEXT_FEATURES.entries()) {
      const v = r[col(name)];
      if (typeof v === 'number') contextFeatures[i * CONTEXT_FEATURES.length + f] = normaliseFeature(name, v);
    }
  }

  const popularity = new Float32Array(size);
  const anyStreams = plays.some((p) => p.streams > 0);
  for (const p of plays) {
    const i = indexOf.get(p.trackId);
    if (i !== undefined) popularity[i] = anyStreams ? p.streams : p.starts;
  }
  const exposure = new Float64Array(artistIds.length);
  const expose = (i: number, amount: number) => {
    const a = artistOf[i] as number;
    if (a >= 0) exposure[a] = (exposure[a] as number) + amount;
  };
  for (let i = 0; i < size; i++) expose(i, popularity[i] as number);
  for (const imp of impressions) {
    const i = indexOf.get(imp.trackId);
    if (i !== undefined) expose(i, imp.impressions);
  }
  const sortedExposure = [...exposure].sort((a, b) => a - b);
  const threshold = sortedExposure[Math.floor(UNDER_EXPOSED_QUANTILE * Math.max(0, sortedExposure.length - 1))] ?? 0;
  const underExposedArtist = Uint8Array.from(exposure, (e) => (e <= threshold ? 1 : 0));

  const listedIdx = [...Array(size).keys()].filter((i) => listed[i] === 1);
  const popular = topIndices(popularity, releasedAt, listedIdx, POPULAR_KEEP);
  const byGenre = new Map<number, number[]>();
  for (const i of listedIdx) {
    const g = genreOf[i] as number;
    if (g < 0) continue;
    const list = byGenre.get(g);
    if (list) list.push(i);
    else byGenre.set(g, [i]);
  }
  const popularInGenre = new Map<number, Int32Array>();
  for (const [g, list] of byGenre) popularInGenre.set(g, topIndices(popularity, releasedAt, list, POPULAR_PER_GENRE));
  const newSince = newReleaseSince(now);
  const newReleases = Int32Array.from(
    listedIdx
      .filter((i) => (releasedAt[i] as number) >= newSince && (releasedAt[i] as number) <= now)
      .sort((a, b) => (releasedAt[b] as number) - (releasedAt[a] as number)),
  );

  const { raw, unit } = await embedUnseen(model, unseen);
  return {
    builtAt: now,
    modelItems: model.items.length,
    size,
    ids,
    indexOf,
    listed,
    titles,
    artistOf,
    artistIds,
    artistNames,
    artistIndex,
    tracksOfArtist,
    genreOf,
    genres,
    genreIndex,
    releasedAt,
    durationMs,
    contextFeatures,
    popularity,
    underExposedArtist,
    popular,
    popularInGenre,
    newReleases,
    coldEmbeddings: raw,
    coldUnitEmbeddings: unit,
  };
}

function contentRow(r: unknown[]): CatalogueRow {
  const out: CatalogueRow = {};
  for (const [i, name] of CATALOGUE_COLUMNS.entries())
    out[name] = name === 'tags' && typeof r[i] === 'string' ? JSON.parse(r[i] as string) : r[i];
  return out;
}

/** Content embeddings of tracks the model never saw; zeros (never recommended by score) without content.onnx. */
async function embedUnseen(model: LoadedModel, unseen: unknown[][]): Promise<{ raw: Float32Array; unit: Float32Array }> {
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
