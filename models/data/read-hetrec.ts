/**
 * Reads the Last.fm HetRec 2011 2K files: user_artists.dat (userID, artistID, weight = plays) as
 * interactions, and user_taggedartists.dat + tags.dat as artist tags (tag strength = how many users
 * applied it). tags.dat is Latin-1, as shipped.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyContent, type ItemContent } from './content-rows.ts';
import { type CsvCell, InputError, parseNumberCell, readCsv } from './csv.ts';
import { IdIndex, type Interactions, interactionsFrom, TripletBuffer } from './interactions.ts';

/**
 * Where the HetRec Last.fm 2K folder is looked for: `HETREC_DIR`, else ../shared/data beside the
 * repository, where the team's machines and CI keep the public datasets.
 */
export const DEFAULT_HETREC =
  process.env.HETREC_DIR ?? fileURLToPath(new URL('../../../shared/data/hetrec2011-lastfm-2k', import.meta.url));

export interface HetrecData {
  interactions: Interactions;
  /** aligned with interactions.itemIds */
  content: ItemContent[];
  /** every tagging of a played artist, in file order (evaluation rebuilds `content` from a subset) */
  taggings: Tagging[];
}

export interface Tagging {
  /** the userID cell as written */
  user: string;
  item: number;
  tag: string;
}

const cellOf = (c: CsvCell | undefined): CsvCell => c!;

function intCell(cell: CsvCell, file: string, line: number, what: string): number {
  const n = parseNumberCell(cell, file, line, what);
  if (!Number.isInteger(n)) throw new InputError(file, line, cell.column, `${what} must be an integer, got "${cell.value}"`);
  return n;
}

/**
 * `tagsOf` limits whose taggings count in `content` (`taggings` keeps them all).
 *
 * @example
 * const { interactions, content } = await readHetrec('/data/hetrec2011-lastfm-2k');
 */
export async function readHetrec(dir: string, opts: { tagsOf?: (userId: string) => boolean } = {}): Promise<HetrecData> {
  const users = new IdIndex();
  const items = new IdIndex();
  const t = new TripletBuffer();
  const plays = join(dir, 'user_artists.dat');
  for await (const { line, cells } of readCsv(plays, ['userid', 'artistid', 'weight'], [], '\t')) {
    const u = intCell(cellOf(cells[0]), plays, line, 'userID');
    const a = intCell(cellOf(cells[1]), plays, line, 'artistID');
    const w = parseNumberCell(cellOf(cells[2]), plays, line, 'weight');
    if (w < 0) throw new InputError(plays, line, cellOf(cells[2]).column, `weight must be >= 0, got ${w}`);
    t.push(users.get(String(u)), items.get(String(a)), w);
  }
  const interactions = interactionsFrom(users, items, t);

  const tagFile = join(dir, 'tags.dat');
  const tagNames = new Map<number, string>();
  for await (const { line, cells } of readCsv(tagFile, ['tagid', 'tagvalue'], [], '\t', 'latin1')) {
    tagNames.set(intCell(cellOf(cells[0]), tagFile, line, 'tagID'), cellOf(cells[1]).value.trim().toLowerCase());
  }
  const taggings: Tagging[] = [];
  const tagged = join(dir, 'user_taggedartists.dat');
  for await (const { line, cells } of readCsv(tagged, ['userid', 'artistid', 'tagid'], [], '\t')) {
    const a = intCell(cellOf(cells[1]), tagged, line, 'artistID');
    const tagCell = cellOf(cells[2]);
    const tag = tagNames.get(intCell(tagCell, tagged, line, 'tagID'));
    if (tag === undefined) throw new InputError(tagged, line, tagCell.column, `tagID ${tagCell.value} is not in tags.dat`);
    const item = items.find(String(a));
    if (item === undefined) continue; // tags of artists nobody played carry no collaborative signal to learn from
    taggings.push({ user: cellOf(cells[0]).value.trim(), item, tag });
  }
  return { interactions, content: tagContent(interactions.itemIds.length, taggings, opts.tagsOf), taggings };
}

/**
 * Item content from taggings: tag strength = number of counted taggings. `tagsOf` limits whose
 * taggings count (evaluation keeps held-out users' own taggings out of the item features).
 *
 * @example
 * const content = tagContent(nItems, data.taggings, (user) => !heldOut.has(user));
 */
export function tagContent(nItems: number, taggings: readonly Tagging[], tagsOf?: (userId: string) => boolean): ItemContent[] {
  const content = Array.from({ length: nItems }, () => emptyContent());
  for (const { user, item, tag } of taggings) {
    if (tagsOf && !tagsOf(user)) continue;
    const tags = content[item]!.tags;
    tags.set(tag, (tags.get(tag) ?? 0) + 1);
  }
  return content;
}
