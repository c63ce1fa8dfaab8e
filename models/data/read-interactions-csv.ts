import { InputError, parseNumberCell, readCsv } from './csv.ts';
import { IdIndex, type Interactions, interactionsFrom, TripletBuffer } from './interactions.ts';

/**
 * Reads `user_id,item_id,weight[,timestamp]`; weight is a raw engagement strength (e.g. play count),
 * summed per (user, item). `timestamp` is accepted and ignored: aggregated files carry no recency.
 *
 * @example
 * const data = await readInteractionsCsv('plays.csv');
 */
export async function readInteractionsCsv(file: string): Promise<Interactions> {
  const users = new IdIndex();
  const items = new IdIndex();
  const t = new TripletBuffer();
  for await (const { line, cells } of readCsv(file, ['user_id', 'item_id', 'weight'], ['timestamp'])) {
    const [u, i, w] = cells as [{ value: string; column: number }, { value: string; column: number }, { value: string; column: number }];
    if (u.value.trim() === '') throw new InputError(file, line, u.column, 'user_id is empty');
    if (i.value.trim() === '') throw new InputError(file, line, i.column, 'item_id is empty');
    const weight = parseNumberCell(w, file, line, 'weight');
    if (weight < 0) throw new InputError(file, line, w.column, `weight must be >= 0, got ${weight}`);
    t.push(users.get(u.value.trim()), items.get(i.value.trim()), weight);
  }
  if (t.length === 0) throw new InputError(file, 2, 1, 'no interactions: the file has a header but no rows');
  return interactionsFrom(users, items, t);
}
