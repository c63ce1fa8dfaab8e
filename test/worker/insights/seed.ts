/**
 * Rollup rows written straight into D1: insights read only rollups (and, for hours and "programmed",
 * raw events), so hand-made rollups give hand-checked numbers. Ids are prefixed per file.
 */
import { env } from 'cloudflare:workers';
import { isoToDay } from '../../../worker/analytics/period.ts';

export async function seedArtist(artistId: string, tracks: { id: string; title?: string; releaseDate?: string | null }[]): Promise<void> {
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare('INSERT INTO artists (id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)').bind(
      artistId,
      `Artist ${artistId}`,
      now,
    ),
    ...tracks.map((t) =>
      env.DB.prepare(
        'INSERT INTO tracks (id, artist_id, title, duration_ms, release_date, tags, created_at, updated_at) VALUES (?1, ?2, ?3, 200000, ?4, ?5, ?6, ?6)',
      ).bind(t.id, artistId, t.title ?? `Track ${t.id}`, t.releaseDate ?? null, '[]', now),
    ),
  ]);
}

export interface DayRow {
  trackId: string;
  artistId: string;
  day: number | string;
  streams?: number;
  playsStarted?: number;
  skips?: number;
  saves?: number;
  completions?: number;
  impressions?: number;
  algorithmicStreams?: number;
}

const dayOf = (d: number | string) => (typeof d === 'string' ? isoToDay(d) : d);

/** track_daily rows (every other counter 0). */
export async function seedTrackDays(rows: readonly DayRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 50) {
    await env.DB.batch(
      rows.slice(i, i + 50).map((r) =>
        env.DB.prepare(
          `INSERT INTO track_daily (track_id, day, artist_id, plays_started, play_starts, plays, streams, completions, skips, ms_played,
             saves, unsaves, playlist_adds, playlist_removes, shares, impressions, algorithmic_streams)
           VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?5, ?6, ?7, 0, ?8, 0, 0, 0, 0, ?9, ?10)`,
        ).bind(
          r.trackId,
          dayOf(r.day),
          r.artistId,
          r.playsStarted ?? r.streams ?? 0,
          r.streams ?? 0,
          r.completions ?? 0,
          r.skips ?? 0,
          r.saves ?? 0,
          r.impressions ?? 0,
          r.algorithmicStreams ?? 0,
        ),
      ),
    );
  }
}

/** track_daily_breakdown rows of dim `surface`. */
export async function seedSurfaces(
  rows: readonly { trackId: string; artistId: string; day: string; surface: string; impressions: number; streams: number }[],
): Promise<void> {
  await env.DB.batch(
    rows.map((r) =>
      env.DB.prepare(
        `INSERT INTO track_daily_breakdown (track_id, day, dim, key, artist_id, streams, impressions, saves, count)
         VALUES (?1, ?2, 'surface', ?3, ?4, ?5, ?6, 0, ?5 + ?6)`,
      ).bind(r.trackId, isoToDay(r.day), r.surface, r.artistId, r.streams, r.impressions),
    ),
  );
}
