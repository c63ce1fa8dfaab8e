/**
 * The artist's Playlists page's pure helpers: how a placement reads (playlist name, type, position),
 * the table's rows, the type filter and the summary by playlist type. No DOM: unit-tested in Node.
 */
import type { components } from './api/schema.d.ts';

export type Placements = components['schemas']['Placements'];
export type Placement = Placements['placements'][number];
export type PlaylistType = Placement['playlist']['type'];
export type TypeFilter = PlaylistType | 'all';

/** The playlist types in the order the page shows them. */
export const PLAYLIST_TYPES: readonly PlaylistType[] = ['editorial', 'generated', 'user'];

export const TYPE_LABELS: Record<PlaylistType, string> = {
  editorial: 'Editorial',
  generated: 'Generated',
  user: 'Listeners’ own',
};

/** What each type is, for hints and the empty state. */
export const TYPE_HINTS: Record<PlaylistType, string> = {
  editorial: 'Playlists curated by editors: listed in a published one, served in its slot or played from it',
  generated: 'Daily Mix, Discover Weekly, Release Radar and radio, served to listeners by the recommender',
  user: 'Playlists listeners made themselves, seen through the app’s playlist adds and plays (context.playlist_id)',
};

/**
 * A short form of an id for a label: whole up to 12 characters, else its first 10 and an ellipsis.
 * @example shortId('pl-7f3a9c2e11d04b') // 'pl-7f3a9c2…'
 */
export function shortId(id: string): string {
  return id.length <= 12 ? id : `${id.slice(0, 10)}…`;
}

/**
 * The playlist's name: the API's, or for a listener's own playlist (the app sends ids only) a label
 * with a short id.
 * @example playlistName({ type: 'user', id: 'pl-42', name: null }) // 'Listener playlist pl-42'
 */
export function playlistName(p: Placement['playlist']): string {
  if (p.name) return p.name;
  return p.type === 'user' ? `Listener playlist ${shortId(p.id)}` : p.id;
}

/**
 * The position as the table shows it: the place in an editorial playlist now, else the best position
 * it was served at with the mean (1-based, as the API gives them); an en dash when there is none.
 * @example positionText(2, 3.46, 'generated') // '2 (mean 3.5)'
 */
export function positionText(position: number | null, mean: number | null, type: PlaylistType): string {
  if (position === null) return '–';
  if (mean === null || type === 'editorial') return String(position);
  const rounded = Math.round(mean * 10) / 10;
  return rounded === position ? String(position) : `${position} (mean ${rounded})`;
}

/**
 * A net count with its sign (a minus sign, not a hyphen); zero as 0.
 * @example signed(2) // '+2'; signed(-1) // '−1'
 */
export function signed(n: number): string {
  if (n === 0) return '0';
  return n > 0 ? `+${n}` : `−${Math.abs(n)}`;
}

/**
 * The UTC day of an instant, or an en dash.
 * @example utcDay('2026-11-24T23:30:00.000Z') // '2026-11-24'
 */
export function utcDay(iso: string | null): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '–' : d.toISOString().slice(0, 10);
}

/** One row of the table: flat, so every column sorts on its own value. */
export type PlacementRow = {
  key: string;
  playlist: string;
  type: PlaylistType;
  playlist_id: string;
  track: string;
  track_id: string;
  via: Placement['via'];
  since: string;
  last_seen: string | null;
  position: number | null;
  mean_position: number | null;
  listeners: number;
  impressions: number;
  streams: number;
  playlist_adds: number;
};

/** The table's rows, in the API's order (most streams first). */
export function placementRows(placements: readonly Placement[]): PlacementRow[] {
  return placements.map((p) => ({
    key: `${p.playlist.type}|${p.playlist.id}|${p.track.id}|${p.via}`,
    playlist: playlistName(p.playlist),
    type: p.playlist.type,
    playlist_id: p.playlist.id,
    track: p.track.title,
    track_id: p.track.id,
    via: p.via,
    since: p.since,
    last_seen: p.last_seen,
    position: p.position,
    mean_position: p.mean_position,
    listeners: p.listeners,
    impressions: p.impressions,
    streams: p.streams,
    playlist_adds: p.playlist_adds,
  }));
}

/**
 * The rows of one playlist type, or all of them.
 * @example filterByType(rows, 'editorial').every((r) => r.type === 'editorial') // true
 */
export function filterByType<R extends { type: PlaylistType }>(rows: readonly R[], type: TypeFilter): R[] {
  return type === 'all' ? [...rows] : rows.filter((r) => r.type === type);
}

/** Reads a filter value (from a select or a URL); anything unknown is 'all'. */
export function typeFilterOf(value: string | null | undefined): TypeFilter {
  return PLAYLIST_TYPES.includes(value as PlaylistType) ? (value as PlaylistType) : 'all';
}

export interface TypeSummary {
  type: PlaylistType;
  label: string;
  streams: number;
  /** Distinct playlists of this type that carried the artist. */
  playlists: number;
  /** Share of the streams from all playlists (0 when there are none). */
  share: number;
}

export interface PlacementSummary {
  byType: TypeSummary[];
  /** Distinct playlists (type and id) that carried one of the artist's tracks. */
  playlists: number;
  streams: number;
}

/**
 * Streams and playlists by playlist type, every type present (zeros included), in PLAYLIST_TYPES order.
 * @example summarize([]).byType.map((t) => t.streams) // [0, 0, 0]
 */
export function summarize(placements: readonly Placement[]): PlacementSummary {
  const lists = new Map<PlaylistType, Set<string>>(PLAYLIST_TYPES.map((t) => [t, new Set()]));
  const streams = new Map<PlaylistType, number>(PLAYLIST_TYPES.map((t) => [t, 0]));
  for (const p of placements) {
    lists.get(p.playlist.type)?.add(p.playlist.id);
    streams.set(p.playlist.type, (streams.get(p.playlist.type) ?? 0) + p.streams);
  }
  const total = [...streams.values()].reduce((s, n) => s + n, 0);
  return {
    byType: PLAYLIST_TYPES.map((type) => ({
      type,
      label: TYPE_LABELS[type],
      streams: streams.get(type) ?? 0,
      playlists: lists.get(type)?.size ?? 0,
      share: total > 0 ? (streams.get(type) ?? 0) / total : 0,
    })),
    playlists: [...lists.values()].reduce((s, l) => s + l.size, 0),
    streams: total,
  };
}
