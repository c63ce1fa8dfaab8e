/**
 * Sends a listener's own export files to a running Backbeat through `POST /v1/users/:id/imports`,
 * split into pieces the route takes (scripts/imports/split.ts), and adds up the route's answers:
 * listens, matches by method, unmatched tracks, stored and duplicate events, and record errors named
 * by file and record index in the ORIGINAL file. Event ids are deterministic, so sending the same
 * files again stores nothing new (`events.stored` 0, everything `duplicates`).
 *
 * @example
 * const totals = await importHistory({ url, key, userId: 'u-42', files: [{ path, format: 'spotify' }] });
 * console.log(describeHistoryImport(totals));
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { ChunkSource, Format, RecordError } from '../../worker/imports/index.ts';
import { detectFormat } from '../../worker/imports/index.ts';
import { DEFAULT_PIECE_BYTES, type Piece, splitExport, toOriginal } from './split.ts';

/** The route's answer (worker/schemas/imports.ts ImportResultSchema). */
export interface ImportAnswer {
  user_id: string;
  format: Format;
  platform: string;
  records: { listens: number; skipped: Record<string, number>; errors: number };
  matched: number;
  by_method: Record<string, number>;
  unmatched_listens: number;
  events: { stored: number; duplicates: number };
  unmatched: { artist_name: string; track_name: string; plays: number }[];
  errors: RecordError[];
}

export interface HistoryFile {
  /** Shown in errors and sent as `?file=` (the base name of `path` unless given). */
  name?: string;
  path?: string;
  /** Instead of `path`: the file's bytes or text (the demo's generated history, tests). */
  source?: ChunkSource;
  format: Format;
}

export interface ImportTotals {
  userId: string;
  files: number;
  pieces: number;
  bytes: number;
  listens: number;
  skipped: Record<string, number>;
  /** Record errors: the route's plus the ones found while splitting. */
  errorCount: number;
  matched: number;
  byMethod: Record<string, number>;
  unmatchedListens: number;
  events: { stored: number; duplicates: number };
  /** Unmatched tracks by plays over all pieces (each piece's answer names its 20 most played). */
  unmatched: { artist_name: string; track_name: string; plays: number }[];
  /** The first errors (up to `keepErrors`), in the original files' numbering. */
  errors: RecordError[];
  seconds: number;
}

export interface ImportProgress {
  file: string;
  pieces: number;
  /** Records sent so far (all files). */
  records: number;
  listens: number;
  matched: number;
  unmatched: number;
  stored: number;
}

export interface HistoryImportOptions {
  url: string;
  key: string;
  userId: string;
  files: HistoryFile[];
  maxBytes?: number;
  keepErrors?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Retries of a piece answered 429, 5xx or not at all (default 5). */
  retries?: number;
}

/** A failure that ends the import: the instance refused a piece for good or is gone. */
export class ImportFailed extends Error {}

/** The first bytes of a file, for format detection (Last.fm CSV or JSON). */
export async function sniffFormat(path: string, fallback: Format): Promise<Format> {
  const stream = createReadStream(path, { start: 0, end: 4095 });
  let head = '';
  for await (const c of stream) head += String(c);
  return detectFormat(head, basename(path)) ?? fallback;
}

async function postPiece(o: HistoryImportOptions, format: Format, file: string, piece: Piece): Promise<ImportAnswer> {
  const path = `/v1/users/${encodeURIComponent(o.userId)}/imports?format=${format}&file=${encodeURIComponent(file.slice(0, 200))}`;
  const retries = o.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    let status = 0;
    let text = '';
    try {
      const res = await fetch(`${o.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${o.key}`, 'content-type': 'application/octet-stream' },
        body: piece.body,
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      text = (err as Error).message;
    }
    if (status === 200) return JSON.parse(text) as ImportAnswer;
    const retriable = status === 0 || status === 429 || status >= 500;
    if (!retriable || attempt >= retries) {
      const why = status === 0 ? `no answer from ${o.url} (${text})` : `${status} ${text.slice(0, 300)}`;
      throw new ImportFailed(`piece ${piece.seq + 1} of ${file} (records ${piece.origin[0]}–${piece.origin.at(-1)}): ${why}`);
    }
    await new Promise((r) => setTimeout(r, Math.min(8000, 250 * 2 ** attempt)));
  }
}

/** The route's note on a readable listen whose events the API would refuse (before 2000 or in the future). */
const isDateRangeError = (e: RecordError) => e.code === 'out_of_range' && e.message.includes('before 2000 or in the future');

export async function importHistory(o: HistoryImportOptions): Promise<ImportTotals> {
  const t0 = performance.now();
  const keep = o.keepErrors ?? 20;
  const totals: ImportTotals = {
    userId: o.userId,
    files: 0,
    pieces: 0,
    bytes: 0,
    listens: 0,
    skipped: {},
    errorCount: 0,
    matched: 0,
    byMethod: {},
    unmatchedListens: 0,
    events: { stored: 0, duplicates: 0 },
    unmatched: [],
    errors: [],
    seconds: 0,
  };
  const unmatched = new Map<string, { artist_name: string; track_name: string; plays: number }>();
  const addError = (e: RecordError, counted = false) => {
    if (!counted) totals.errorCount++;
    if (totals.errors.length < keep) totals.errors.push(e);
  };
  let records = 0;
  for (const f of o.files) {
    const name = f.name ?? (f.path ? basename(f.path) : 'history');
    const source: ChunkSource = f.source ?? createReadStream(f.path as string, { highWaterMark: 256 * 1024 });
    totals.files++;
    for await (const item of splitExport(f.format, source, { file: name, maxBytes: o.maxBytes ?? DEFAULT_PIECE_BYTES })) {
      if (item.kind === 'error') {
        addError(item.error);
        continue;
      }
      const piece = item.piece;
      const a = await postPiece(o, f.format, name, piece);
      totals.pieces++;
      totals.bytes += piece.bytes;
      records += piece.origin.length;
      totals.listens += a.records.listens;
      for (const [k, n] of Object.entries(a.records.skipped)) totals.skipped[k] = (totals.skipped[k] ?? 0) + n;
      // The answer names at most 20 errors of the piece; `records.errors` counts the unreadable records,
      // and listens dated outside what events accept are named besides (they count as listens).
      totals.errorCount += a.records.errors + a.errors.filter(isDateRangeError).length;
      for (const e of a.errors) addError(toOriginal(e, piece, name), true);
      totals.matched += a.matched;
      for (const [k, n] of Object.entries(a.by_method)) totals.byMethod[k] = (totals.byMethod[k] ?? 0) + n;
      totals.unmatchedListens += a.unmatched_listens;
      totals.events.stored += a.events.stored;
      totals.events.duplicates += a.events.duplicates;
      for (const u of a.unmatched) {
        const k = `${u.artist_name.toLowerCase()}\u0000${u.track_name.toLowerCase()}`;
        const prev = unmatched.get(k);
        if (prev) prev.plays += u.plays;
        else unmatched.set(k, { ...u });
      }
      o.onProgress?.({
        file: name,
        pieces: totals.pieces,
        records,
        listens: totals.listens,
        matched: totals.matched,
        unmatched: totals.unmatchedListens,
        stored: totals.events.stored,
      });
    }
  }
  totals.unmatched = [...unmatched.values()].sort(
    (a, b) => b.plays - a.plays || a.artist_name.localeCompare(b.artist_name) || a.track_name.localeCompare(b.track_name),
  );
  totals.seconds = (performance.now() - t0) / 1000;
  return totals;
}

/** One progress line. */
export function describeProgress(p: ImportProgress): string {
  return `  ${p.file}: ${p.records} records in ${p.pieces} piece${p.pieces === 1 ? '' : 's'}, ${p.listens} listens, ${p.matched} matched, ${p.unmatched} unmatched, ${p.stored} events stored`;
}

const pct = (n: number, d: number) => (d === 0 ? '0 %' : `${((100 * n) / d).toFixed(1)} %`);

/** The final summary, a few lines. */
export function describeHistoryImport(t: ImportTotals, topUnmatched = 10): string {
  const lines = [
    `Imported ${t.listens} listens for ${t.userId} from ${t.files} file${t.files === 1 ? '' : 's'} (${t.pieces} piece${t.pieces === 1 ? '' : 's'}, ${(t.bytes / 1e6).toFixed(1)} MB) in ${t.seconds.toFixed(1)} s`,
  ];
  const methods = Object.entries(t.byMethod)
    .filter(([, n]) => n > 0)
    .map(([m, n]) => `${m} ${n}`)
    .join(', ');
  lines.push(`  matched      ${t.matched} (${pct(t.matched, t.listens)})${methods ? `: ${methods}` : ''}`);
  lines.push(
    `  unmatched    ${t.unmatchedListens} listens of ${t.unmatched.length > 0 ? `at least ${t.unmatched.length}` : 'no'} tracks the catalogue lacks (kept aside)`,
  );
  lines.push(`  events       ${t.events.stored} stored, ${t.events.duplicates} already there`);
  const skipped = Object.entries(t.skipped);
  if (skipped.length > 0) lines.push(`  skipped      ${skipped.map(([r, n]) => `${n} ${r}`).join(', ')}`);
  if (t.unmatched.length > 0) {
    lines.push('  most played unmatched tracks:');
    for (const u of t.unmatched.slice(0, topUnmatched))
      lines.push(`    ${String(u.plays).padStart(5)} × ${u.artist_name} — ${u.track_name}`);
  }
  if (t.errorCount > 0) {
    lines.push(`  record errors ${t.errorCount}${t.errorCount > t.errors.length ? ` (first ${t.errors.length})` : ''}:`);
    for (const e of t.errors)
      lines.push(
        `    ${e.file ?? '?'} record ${e.index}${e.line === undefined ? '' : ` (line ${e.line})`}: ${e.field} ${e.code}: ${e.message}`,
      );
  }
  return lines.join('\n');
}
