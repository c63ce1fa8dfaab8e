/**
 * Reads the Last.fm HetRec 2011 2K files: user_artists.dat (userID, artistID, weight = plays) as
 * interactions, and user_taggedartists.dat + tags.dat as artist tags (tag strength = how many users
 * applied it). tags.dat is Latin-1, as shipped.
 */
import { join } from 'node:path';
import { emptyContent, type ItemContent } from './content-rows.ts';
import { type CsvCell, InputError, parseNumberCell, readCsv } from './csv.ts';
import { IdIndex, type Interactions, interactionsFrom, TripletBuffer } from './interactions.ts';

export interface HetrecData {
  interactions: Interactions;
  /** aligned with interactions.itemIds */
  content: ItemContent[];
}

const cellOf = (c: CsvCell | undefined): CsvCell => c!;

function intCell(cell: CsvCell, file: string, line: number, what: string): number {
  const n = parseNumberCell(cell, file, line, what);
  if (!Number.isInteger(n)) throw new InputError(file, line, cell.column, `${what} must be an integer, got "${cell.value}"`);
  return n;
}

/**
 * `tagsOf` limits whose taggings count (evaluation passes the training users only).
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
  const content = interactions.itemIds.map(() => emptyContent());
  const tagged = join(dir, 'user_taggedartists.dat');
  for await (const { line, cells } of readCsv(tagged, ['userid', 'artistid', 'tagid'], [], '\t')) {
    // evaluation keeps held-out users' own taggings out of the item features
    if (opts.tagsOf && !opts.tagsOf(cellOf(cells[0]).value.trim())) continue;
    const a = intCell(cellOf(cells[1]), tagged, line, 'artistID');
    const tagCell = cellOf(cells[2]);
    const tag = tagNames.get(intCell(tagCell, tagged, line, 'tagID'));
    if (tag === undefined) throw new InputError(tagged, line, tagCell.column, `tagID ${tagCell.value} is not in tags.dat`);
    const item = items.find(String(a));
    if (item === undefined) continue; // tags of artists nobody played carry no collaborative signal to learn from
    const tags = content[item]!.tags;
    tags.set(tag, (tags.get(tag) ?? 0) + 1);
  }
  return { interactions, content };
}
