/**
 * Reads item content features: `item_id` plus any of `genre`, `tags` (separated by `|` or `;`),
 * and numeric columns (audio features such as energy, tempo...). An empty cell is a missing value.
 */
import { emptyContent, type ItemContent } from './content-rows.ts';
import { csvLines, InputError } from './csv.ts';
import type { Interactions } from './interactions.ts';

/** item id -> content */
export async function readItemsCsv(file: string): Promise<Map<string, ItemContent>> {
  const out = new Map<string, ItemContent>();
  let header: string[] | null = null;
  for await (const { line: lineNo, cells } of csvLines(file)) {
    if (!header) {
      header = cells.map((c) => c.value.trim().toLowerCase());
      if (!header.includes('item_id')) throw new InputError(file, lineNo, 1, `header must name column "item_id" (got ${header.join(',')})`);
      continue;
    }
    if (cells.length !== header.length) {
      throw new InputError(
        file,
        lineNo,
        cells[Math.min(cells.length, header.length) - 1]!.column,
        `expected ${header.length} columns, got ${cells.length}`,
      );
    }
    const c = emptyContent();
    let id = '';
    cells.forEach((cell, k) => {
      const name = header![k]!;
      const v = cell.value.trim();
      if (name === 'item_id') id = v;
      else if (name === 'genre') c.genre = v === '' ? null : v.toLowerCase();
      else if (name === 'tags') {
        for (const t of v.split(/[|;]/)) if (t.trim() !== '') c.tags.set(t.trim().toLowerCase(), 1);
      } else if (v === '') c.numeric[name] = null;
      else {
        const n = Number(v);
        if (!Number.isFinite(n)) throw new InputError(file, lineNo, cell.column, `${name} must be a number, got "${cell.value}"`);
        c.numeric[name] = n;
      }
    });
    if (id === '') throw new InputError(file, lineNo, cells[header.indexOf('item_id')]!.column, 'item_id is empty');
    out.set(id, c);
  }
  return out;
}

/**
 * Aligns content with the interaction items; catalogue items nobody played are appended to the item
 * list (the content model will place them), so they can be recommended from day one.
 */
export function attachContent(
  data: Interactions,
  content: Map<string, ItemContent>,
): { interactions: Interactions; content: ItemContent[] } {
  const itemIds = [...data.itemIds];
  const known = new Set(itemIds);
  for (const id of content.keys()) if (!known.has(id)) itemIds.push(id);
  return { interactions: { ...data, itemIds }, content: itemIds.map((id) => content.get(id) ?? emptyContent()) };
}
