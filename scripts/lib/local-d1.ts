/**
 * Read-only access to the SQLite file behind local D1 (wrangler dev / miniflare), for benchmarks
 * and tools that must verify what the Worker stored. Uses Node's built-in node:sqlite (no native addon).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** The newest D1 SQLite file under a wrangler persist dir (default .wrangler/state). */
export function findLocalD1File(persistTo: string): string {
  const dir = join(persistTo, 'v3/d1/miniflare-D1DatabaseObject');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!files[0]) throw new Error(`no local D1 database under ${dir}: run the migrations first`);
  return files[0];
}

export function openLocalD1(persistTo: string): DatabaseSync {
  return new DatabaseSync(findLocalD1File(persistTo), { readOnly: true });
}
