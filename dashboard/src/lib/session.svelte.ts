/**
 * Who is signed in and what every view follows: the key (session storage only, gone when the tab
 * closes), the key's role and artists, the chosen artist and the date range. App and admin keys
 * (no artists) sign in too: they open the listener preview; editor keys (no artists) open the
 * editorial playlists.
 */
import { ApiRequestError, api, unwrap, useKey } from './api/client.ts';
import type { paths } from './api/schema.d.ts';
import { remember } from './listeners.ts';
import { type DateRange, presetRange } from './range.ts';

const KEY_ITEM = 'backbeat.key';
const VIEW_ITEM = 'backbeat.view';
const LISTENERS_ITEM = 'backbeat.listeners';

/** GET /v1/me: the key, its role and its artists (generated from the OpenAPI document). */
export type Me = paths['/v1/me']['get']['responses'][200]['content']['application/json'];
/** A bound artist as GET /v1/me names it, with its streams of the last 28 days when known. */
export type Artist = Me['artists'][number] & { name: string; streams?: number | null };

function readItem(name: string): string | null {
  try {
    return sessionStorage.getItem(name);
  } catch {
    return null;
  }
}

function readListeners(): string[] {
  try {
    const v = JSON.parse(readItem(LISTENERS_ITEM) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function readView(): { artistId: string | null; range: DateRange } | null {
  try {
    const v = JSON.parse(readItem(VIEW_ITEM) ?? 'null') as { artistId: string | null; range: DateRange } | null;
    return v && typeof v.range?.from === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** Two artists of one roster with the same name get their ids beside it, so the selector tells them apart. */
export function distinctNames(artists: Artist[]): Artist[] {
  const count = new Map<string, number>();
  for (const a of artists) count.set(a.name, (count.get(a.name) ?? 0) + 1);
  return artists.map((a) => ((count.get(a.name) ?? 0) > 1 ? { ...a, name: `${a.name} (${a.id})` } : a));
}

/** Most streams first; artists whose streams are unknown after them, by name. */
export function byStreams(artists: Artist[]): Artist[] {
  return [...artists].sort((a, b) => (b.streams ?? -1) - (a.streams ?? -1) || a.name.localeCompare(b.name));
}

const STREAMS_CONCURRENCY = 4;

/** Each artist's streams over the last 28 days (from the overview), a few requests at a time; null where a read fails. */
async function withStreams(artists: Artist[]): Promise<Artist[]> {
  if (artists.length < 2) return artists;
  const range = presetRange(28);
  const out = [...artists];
  let next = 0;
  const worker = async () => {
    while (next < out.length) {
      const i = next++;
      const a = out[i]!;
      try {
        const o = unwrap(
          await api.GET('/v1/artists/{id}/overview', { params: { path: { id: a.id }, query: { from: range.from, to: range.to } } }),
        );
        out[i] = { ...a, streams: o.metrics.streams.value };
      } catch {
        out[i] = { ...a, streams: null };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(STREAMS_CONCURRENCY, out.length) }, worker));
  return out;
}

class Session {
  key = $state<string | null>(null);
  me = $state.raw<Me | null>(null);
  /** The key's artists with their names (an artist the API cannot find keeps its id as name). */
  artists = $state.raw<Artist[]>([]);
  artistId = $state<string | null>(null);
  range = $state<DateRange>(presetRange(28));
  status = $state<'signed-out' | 'checking' | 'signed-in'>('signed-out');
  /** Why the last sign-in failed or the session ended. */
  notice = $state<string | null>(null);
  /** Listener ids opened in the listener preview, newest first (this tab only). */
  recentListeners = $state.raw<string[]>([]);

  /** Restores a key kept in this tab's session storage. */
  async restore(): Promise<void> {
    const key = readItem(KEY_ITEM);
    const view = readView();
    if (view) {
      // A preset range is recomputed so that "last 7 days" still ends today after midnight.
      this.range = view.range.preset === 'custom' ? view.range : presetRange(view.range.preset);
      this.artistId = view.artistId;
    }
    this.recentListeners = readListeners();
    if (key) await this.signIn(key);
  }

  /** Checks the key against GET /v1/me and keeps it when the API accepts it. */
  async signIn(rawKey: string): Promise<boolean> {
    const key = rawKey.trim();
    if (!key) {
      this.notice = 'Paste an API key to sign in';
      return false;
    }
    this.status = 'checking';
    this.notice = null;
    useKey(key, () => this.signOut('The API no longer accepts this key. Sign in again.'));
    try {
      const me = unwrap(await api.GET('/v1/me'));
      // One request for the roster's names (GET /v1/me carries them), however many artists the key has.
      const artists = distinctNames(me.artists.map((a): Artist => ({ id: a.id, name: a.name ?? a.id })));
      this.me = me;
      // Biggest first, so the selector opens on the artist with the most to show.
      this.artists = byStreams(await withStreams(artists));
      if (!this.artistId || !me.artist_ids.includes(this.artistId)) this.artistId = this.artists[0]?.id ?? null;
      this.status = 'signed-in';
      sessionStorage.setItem(KEY_ITEM, key);
      this.persistView();
      return true;
    } catch (e) {
      useKey(null);
      this.status = 'signed-out';
      this.notice =
        e instanceof ApiRequestError && e.status === 401
          ? 'The API did not accept this key'
          : `Could not sign in: ${e instanceof Error ? e.message : String(e)}`;
      return false;
    }
  }

  signOut(notice: string | null = null): void {
    useKey(null);
    sessionStorage.removeItem(KEY_ITEM);
    sessionStorage.removeItem(VIEW_ITEM);
    sessionStorage.removeItem(LISTENERS_ITEM);
    this.recentListeners = [];
    this.key = null;
    this.me = null;
    this.artists = [];
    this.artistId = null;
    this.status = 'signed-out';
    this.notice = notice;
  }

  selectArtist(id: string): void {
    this.artistId = id;
    this.persistView();
  }

  selectRange(range: DateRange): void {
    this.range = range;
    this.persistView();
  }

  get artist(): Artist | undefined {
    return this.artists.find((a) => a.id === this.artistId);
  }

  get isMarketer(): boolean {
    return this.me?.role === 'marketer';
  }

  /** Only app and admin keys read listeners' playlists. */
  get canPreviewListeners(): boolean {
    return this.me?.role === 'app' || this.me?.role === 'admin';
  }

  /** Only admin keys run experiments. */
  get isAdmin(): boolean {
    return this.me?.role === 'admin';
  }

  /** Only editor and admin keys edit editorial playlists. */
  get canEditPlaylists(): boolean {
    return this.me?.role === 'editor' || this.me?.role === 'admin';
  }

  /** Artist and marketer keys read artists' numbers; keys of other roles only when bound to an artist. */
  get hasArtistViews(): boolean {
    return this.artistId !== null || !(this.canPreviewListeners || this.canEditPlaylists);
  }

  rememberListener(id: string): void {
    this.recentListeners = remember(this.recentListeners, id);
    sessionStorage.setItem(LISTENERS_ITEM, JSON.stringify(this.recentListeners));
  }

  private persistView(): void {
    sessionStorage.setItem(VIEW_ITEM, JSON.stringify({ artistId: this.artistId, range: this.range }));
  }
}

export const session = new Session();
