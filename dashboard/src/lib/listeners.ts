/**
 * The listener preview's pure helpers: where a view lives in the URL, how a playlist card reads,
 * and the listeners recently opened in this tab.
 */

/** What the preview shows: a listener's playlists, one playlist, or a radio station from a track. */
export type ListenerView =
  | { user: null }
  | { user: string; playlist?: undefined; radio?: undefined }
  | { user: string; playlist: string; radio?: undefined }
  | { user: string; radio: string; playlist?: undefined };

/**
 * The view a preview URL names (`?user=`, then `playlist=` or `radio=`); blank values count as absent.
 * @example viewOf(new URLSearchParams('user=u-1&playlist=discover-weekly')) // { user: 'u-1', playlist: 'discover-weekly' }
 */
export function viewOf(params: { get(name: string): string | null }): ListenerView {
  const get = (name: string) => params.get(name)?.trim() || undefined;
  const user = get('user');
  if (!user) return { user: null };
  const playlist = get('playlist');
  if (playlist) return { user, playlist };
  const radio = get('radio');
  return radio ? { user, radio } : { user };
}

/**
 * The URL of a view, the inverse of viewOf.
 * @example previewHref({ user: 'u 1', radio: 't-9' }) // '/listeners?user=u+1&radio=t-9'
 */
export function previewHref(view: ListenerView): string {
  const q = new URLSearchParams();
  if (view.user !== null) {
    q.set('user', view.user);
    if (view.playlist) q.set('playlist', view.playlist);
    else if (view.radio) q.set('radio', view.radio);
  }
  const s = q.toString();
  return s ? `/listeners?${s}` : '/listeners';
}

export const isDailyMix = (kind: string): boolean => kind.startsWith('daily-mix-');

/** "30 tracks", "1 track", "No tracks yet". */
export function trackCount(n: number): string {
  if (n === 0) return 'No tracks yet';
  return n === 1 ? '1 track' : `${n} tracks`;
}

/**
 * A listener has history when any of their lists is personal: the API keeps personal lists for a
 * period and generates the popular ones of a listener without history per request (period null).
 */
export function hasHistory(playlists: ReadonlyArray<{ period: string | null }>): boolean {
  return playlists.some((p) => p.period !== null);
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/**
 * The cover title's colour on a cover of `hex` (`#rrggbb`; anything else gets white, on the accent
 * colour the cover falls back to): white, as covers are, where it keeps the 3:1 contrast WCAG asks of
 * large bold text (the cover title is), black on lighter colours.
 * @example coverText('#1e3264') // '#ffffff'
 */
export function coverText(hex: string): '#000000' | '#ffffff' {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) return '#ffffff';
  return 1.05 / (luminance(hex) + 0.05) >= 3 ? '#ffffff' : '#000000';
}

/** The cover colour to paint, or null (then the stylesheet's accent colour) when the API's is not `#rrggbb`. */
export const coverColour = (hex: string): string | null => (/^#[0-9a-f]{6}$/i.test(hex) ? hex : null);

/**
 * The recently opened listeners, newest first, without repeats, at most `max`.
 * @example remember(['u-2', 'u-1'], 'u-1') // ['u-1', 'u-2']
 */
export function remember(recent: readonly string[], id: string, max = 6): string[] {
  return [id, ...recent.filter((r) => r !== id)].slice(0, max);
}

/**
 * When a list was generated, to the minute in UTC (the dashboard's clock everywhere).
 * @example generatedAt('2026-11-24T14:32:05.000Z') // '2026-11-24 14:32 UTC'
 */
export function generatedAt(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? 'at an unknown time' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * What a listener's page holds, in a line.
 * @example contents(['daily-mix-1', 'daily-mix-2', 'discover-weekly', 'release-radar']) // '2 Daily Mixes, Discover Weekly and Release Radar'
 */
export function contents(kinds: readonly string[]): string {
  const mixes = kinds.filter(isDailyMix).length;
  const others = [kinds.includes('discover-weekly') && 'Discover Weekly', kinds.includes('release-radar') && 'Release Radar'].filter(
    (x): x is string => typeof x === 'string',
  );
  const parts = [...(mixes > 0 ? [mixes === 1 ? '1 Daily Mix' : `${mixes} Daily Mixes`] : []), ...others];
  const line = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? 'Nothing');
  return mixes > 0 ? line : `${line}; no Daily Mix yet`;
}
