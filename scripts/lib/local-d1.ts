/**
 * Read-only access to the SQLite file behind local D1 (wrangler dev / miniflare), for benchmarks
 * and tools that must verify what the Worker stored. Uses Node's built-in node:sqlite (no native addon).
 */
import { DatabaseSync } from 'node:sqlite';
import { findLocalD1 } from '../../models/data/read-local-d1.ts';

export function openLocalD1(persistTo: string): DatabaseSync {
  return new DatabaseSync(findLocalD1(persistTo), { readOnly: true });
}
