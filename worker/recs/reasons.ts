/**
 * A human reason for every recommended track ("because you played X", "new release like X",
 * "popular in your genres"), derived from the pick's source and its nearest anchor in the
 * embedding space (the user's strongest history items, or their onboarding seeds).
 */
import type { LoadedModel } from '../model/loaded-model.ts';
import { type Catalogue, newReleaseSince, unitEmbedding } from './catalogue.ts';
import type { Pick } from './rerank.ts';

export interface ReasonContext {
  model: LoadedModel;
  catalogue: Catalogue;
  /** Track indices the list is built from (strongest history items or seed tracks). */
  anchors: readonly number[];
  /** Genres the user listens to or asked for (indices). */
  genres: ReadonlySet<number>;
  now: number;
  /** The track playing now (up next, radio), also the first anchor; null for a plain list. */
  playing?: number | null;
  /** `follow`: up next (`to follow "X"`); `radio`: a station seeded by it (`like "X"`). */
  playingPhrase?: 'follow' | 'radio';
  /** Artists whose new releases are named as such (`new from <artist>`, Release Radar). */
  newFrom?: ReadonlySet<number> | undefined;
  /** Titles of the editorial playlists picks can come from, by id. */
  editorialTitles?: ReadonlyMap<string, string>;
}

function nearestAnchor(rc: ReasonContext, index: number): number | null {
  const e = unitEmbedding(rc.model, rc.catalogue, index);
  let best: number | null = null;
  let bestSim = Number.NEGATIVE_INFINITY;
  for (const a of rc.anchors) {
    if (a === index) continue;
    const f = unitEmbedding(rc.model, rc.catalogue, a);
    let s = 0;
    for (let k = 0; k < e.length; k++) s += (e[k] as number) * (f[k] as number);
    if (s > bestSim) {
      bestSim = s;
      best = a;
    }
  }
  return best;
}

/**
 * @example reasonFor({ index: 42, source: 'model', campaignId: null }, rc) // 'because you played "Blue Hour"'
 */
export function reasonFor(pick: Pick, rc: ReasonContext): string {
  const cat = rc.catalogue;
  const i = pick.index;
  const artist = cat.artistNames[cat.artistOf[i] as number] ?? 'this artist';
  const genre = cat.genres[cat.genreOf[i] as number];
  if (pick.source === 'campaign') return 'campaign';
  if (pick.source === 'editorial')
    return `editors' pick from "${rc.editorialTitles?.get(pick.playlistId ?? '') ?? 'an editorial playlist'}"`;
  if (pick.source === 'familiar') return 'one of your favourites';
  const anchor = nearestAnchor(rc, i);
  if (rc.playing != null && anchor === rc.playing && pick.source !== 'popular') {
    const playing = `"${cat.titles[rc.playing]}"`;
    if (rc.playingPhrase === 'radio') return cat.artistOf[rc.playing] === cat.artistOf[i] ? `more from ${artist}` : `like ${playing}`;
    return cat.artistOf[rc.playing] === cat.artistOf[i] ? `more from ${artist}, after ${playing}` : `to follow ${playing}`;
  }
  if (pick.source === 'popular') return genre && rc.genres.has(cat.genreOf[i] as number) ? `popular in ${genre}` : 'popular this week';
  // Never the item itself (nearestAnchor skips it), and never a line that reads like it: another
  // track of the same title is named with its artist.
  const like =
    anchor === null
      ? null
      : cat.titles[anchor] === cat.titles[i]
        ? `"${cat.titles[anchor]}" by ${cat.artistNames[cat.artistOf[anchor] as number] ?? 'another artist'}`
        : `"${cat.titles[anchor]}"`;
  const isNew = (cat.releasedAt[i] as number) >= newReleaseSince(rc.now);
  if (pick.source === 'seed') {
    if (anchor !== null && cat.artistOf[anchor] === cat.artistOf[i]) return `because you like ${artist}`;
    return genre && rc.genres.has(cat.genreOf[i] as number) ? `popular in ${genre}` : like ? `similar to ${like}` : 'popular this week';
  }
  if (isNew && rc.newFrom?.has(cat.artistOf[i] as number)) return `new from ${artist}`;
  if (isNew && like) return `new release like ${like}`;
  if (!like) return genre ? `popular in ${genre}` : 'popular this week';
  if (pick.source === 'exploration' && cat.underExposedArtist[cat.artistOf[i] as number] === 1) return `discover ${artist}, like ${like}`;
  if (cat.artistOf[anchor as number] === cat.artistOf[i]) return `more from ${artist}`;
  return `because you played ${like}`;
}
