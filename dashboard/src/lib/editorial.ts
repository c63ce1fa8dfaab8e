/**
 * The editor section's pure helpers: the playlist form (from and to the API's shapes), moving
 * tracks, reading free-text lists, schedule times in UTC, and where an API issue belongs on the form.
 */
import type { components } from './api/schema.d.ts';

type Schemas = components['schemas'];
export type EditorialPlaylist = Schemas['EditorialPlaylist'];
export type EditorialStatus = EditorialPlaylist['status'];
export type Activity = Schemas['EditorialTarget']['activities'][number];

/** The activities a target may name (the API's fixed set), in the order the form shows them. */
export const ACTIVITIES: readonly Activity[] = ['focus', 'workout', 'sleep', 'party', 'commute', 'relax'];

/** The furthest position a slot can take (the API's limit). */
export const MAX_SLOT_POSITION = 50;

/** A track on the form: its id, and what to show for it. */
export interface DraftTrack {
  id: string;
  title: string;
  artist: string;
  genre?: string | null;
}

/** What the form edits, as the inputs hold it (free text lists as typed, times as `YYYY-MM-DDTHH:mm` UTC). */
export interface PlaylistDraft {
  title: string;
  description: string;
  tracks: DraftTrack[];
  genres: string;
  countries: string;
  activities: Activity[];
  hasSlot: boolean;
  position: number;
  surfaces: string;
  startsAt: string;
  endsAt: string;
}

/** The body of POST (create) and PATCH (save) of a playlist: every field, so a save is the whole form. */
export interface PlaylistBody {
  title: string;
  description: string;
  tracks: string[];
  target: { genres: string[]; countries: string[]; activities: Activity[] };
  slot: { position: number; surfaces: string[] } | null;
  starts_at: string | null;
  ends_at: string | null;
}

export const emptyDraft = (): PlaylistDraft => ({
  title: '',
  description: '',
  tracks: [],
  genres: '',
  countries: '',
  activities: [],
  hasSlot: false,
  position: 3,
  surfaces: 'home',
  startsAt: '',
  endsAt: '',
});

/** The form for a playlist the API answered with. */
export function draftOf(p: EditorialPlaylist): PlaylistDraft {
  return {
    title: p.title,
    description: p.description,
    tracks: p.tracks.map((t) => ({
      id: t.track_id,
      title: t.title ?? t.track_id,
      artist: t.artist_name ?? t.artist_id ?? 'Unknown artist',
    })),
    genres: p.target.genres.join(', '),
    countries: p.target.countries.join(', '),
    activities: ACTIVITIES.filter((a) => p.target.activities.includes(a)),
    hasSlot: p.slot !== null,
    position: p.slot?.position ?? 3,
    surfaces: (p.slot?.surfaces ?? ['home']).join(', '),
    startsAt: localInput(p.starts_at),
    endsAt: localInput(p.ends_at),
  };
}

/**
 * A comma- (or line-) separated list as its items: trimmed, blanks and repeats dropped.
 * @example splitList(' indie, Dream pop ,, indie', 'lower') // ['indie', 'dream pop']
 */
export function splitList(text: string, kase: 'lower' | 'upper' | 'keep' = 'keep'): string[] {
  const items = text
    .split(/[,\n]/)
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .map((s) => (kase === 'lower' ? s.toLowerCase() : kase === 'upper' ? s.toUpperCase() : s))
    .filter((s) => s.length > 0);
  return [...new Set(items)];
}

/** The request body of a form (the API validates it; the form only reshapes). */
export function bodyOf(d: PlaylistDraft): PlaylistBody {
  const surfaces = splitList(d.surfaces);
  return {
    title: d.title.trim(),
    description: d.description.trim(),
    tracks: d.tracks.map((t) => t.id),
    target: { genres: splitList(d.genres, 'lower'), countries: splitList(d.countries, 'upper'), activities: [...d.activities] },
    slot: d.hasSlot ? { position: d.position, surfaces: surfaces.length > 0 ? surfaces : ['home'] } : null,
    starts_at: instantOf(d.startsAt),
    ends_at: instantOf(d.endsAt),
  };
}

/** Whether the form differs from what was last saved (`null`: nothing saved yet, so any title counts). */
export function isDirty(d: PlaylistDraft, saved: PlaylistDraft | null): boolean {
  return JSON.stringify(bodyOf(d)) !== JSON.stringify(bodyOf(saved ?? emptyDraft()));
}

/**
 * The list with the item at `from` moved to `to` (clamped); the same order when either is out of range.
 * @example moveItem(['a', 'b', 'c'], 2, 0) // ['c', 'a', 'b']
 */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (from < 0 || from >= list.length) return out;
  const target = Math.max(0, Math.min(list.length - 1, to));
  const [item] = out.splice(from, 1);
  out.splice(target, 0, item as T);
  return out;
}

/** The list with `track` at the end, unless it is already in it. */
export function addTrack(list: readonly DraftTrack[], track: DraftTrack): DraftTrack[] {
  return list.some((t) => t.id === track.id) ? [...list] : [...list, track];
}

/**
 * A schedule input (`datetime-local`, read as UTC: the dashboard's clock everywhere) as an instant.
 * @example instantOf('2026-12-01T08:30') // '2026-12-01T08:30:00.000Z'; instantOf('') // null
 */
export function instantOf(local: string): string | null {
  const v = local.trim();
  if (!v) return null;
  const d = new Date(`${v.length === 16 ? `${v}:00` : v}Z`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * An instant as a `datetime-local` value in UTC, the inverse of instantOf.
 * @example localInput('2026-12-01T08:30:00.000Z') // '2026-12-01T08:30'
 */
export function localInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 16);
}

/**
 * An instant to the minute in UTC.
 * @example minuteUtc('2026-11-24T14:32:05.000Z') // '2026-11-24 14:32 UTC'
 */
export function minuteUtc(iso: string | null): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '–' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const STATUS_LABELS: Record<EditorialStatus, string> = { draft: 'Draft', published: 'Published', archived: 'Archived' };

/**
 * A slot in a line.
 * @example slotLabel({ position: 3, surfaces: ['home'] }) // 'Position 3 (home)'
 */
export function slotLabel(slot: { position: number; surfaces: readonly string[] } | null): string {
  return slot ? `Position ${slot.position} (${slot.surfaces.join(', ')})` : 'No slot';
}

/** One API issue: `path` as the API names it (`json.tracks[1]`). */
export interface Issue {
  path?: string;
  code?: string;
  message?: string;
}

/** Where an issue shows on the form: a field's name, `tracks.N` for one track, or `form` for the rest. */
export type FieldKey = string;

/**
 * The form field an issue names.
 * @example fieldOf('json.tracks[1]') // 'tracks.1'; fieldOf('json.target.countries[0]') // 'countries'; fieldOf('json.slot.position') // 'position'
 */
export function fieldOf(path: string | undefined): FieldKey {
  const p = (path ?? '').replace(/^json\.?/, '');
  const track = /^tracks\[(\d+)\]/.exec(p);
  if (track) return `tracks.${track[1]}`;
  const head = p.split(/[.[]/);
  if (head[0] === 'target' && head[1]) return head[1];
  if (head[0] === 'slot') return head[1] === 'surfaces' ? 'surfaces' : 'position';
  if (['title', 'description', 'tracks', 'starts_at', 'ends_at'].includes(head[0] ?? '')) return head[0] as string;
  return 'form';
}

/** The issues of an answer, by the field each names (several messages of one field joined). */
export function fieldErrors(issues: readonly Issue[]): Record<FieldKey, string> {
  const out: Record<FieldKey, string> = {};
  for (const i of issues) {
    const key = fieldOf(i.path);
    const message = i.message ?? i.code ?? 'invalid';
    out[key] = out[key] ? `${out[key]}; ${message}` : message;
  }
  return out;
}

/** One row of the per-track numbers: the playlist's tracks in order, then tracks since removed that still have numbers. */
export interface TrackNumbers {
  [key: string]: unknown;
  position: number | null;
  track_id: string;
  title: string;
  impressions: number;
  streams: number;
  saves: number;
  skips: number;
}

export function trackNumbers(
  tracks: readonly { track_id: string; title: string | null }[],
  stats: readonly { track_id: string; impressions: number; streams: number; saves: number; skips: number }[],
): TrackNumbers[] {
  const byId = new Map(stats.map((s) => [s.track_id, s]));
  const inList = new Set(tracks.map((t) => t.track_id));
  const zero = { impressions: 0, streams: 0, saves: 0, skips: 0 };
  return [
    ...tracks.map((t, k) => {
      const s = byId.get(t.track_id) ?? zero;
      return {
        position: k + 1,
        track_id: t.track_id,
        title: t.title ?? t.track_id,
        impressions: s.impressions,
        streams: s.streams,
        saves: s.saves,
        skips: s.skips,
      };
    }),
    ...stats
      .filter((s) => !inList.has(s.track_id))
      .map((s) => ({
        position: null,
        track_id: s.track_id,
        title: `${s.track_id} (removed)`,
        impressions: s.impressions,
        streams: s.streams,
        saves: s.saves,
        skips: s.skips,
      })),
  ];
}

/**
 * Calls `fn` once `ms` have passed without another call (the catalogue search while typing);
 * `cancel` drops a pending call, `flush` makes it now.
 */
export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
): ((...args: A) => void) & { cancel(): void; flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: A | undefined;
  const cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    pending = undefined;
  };
  const flush = () => {
    const args = pending;
    cancel();
    if (args) fn(...args);
  };
  const run = (...args: A) => {
    if (timer !== undefined) clearTimeout(timer);
    pending = args;
    timer = setTimeout(flush, ms);
  };
  return Object.assign(run, { cancel, flush });
}
