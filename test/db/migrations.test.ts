/**
 * Migrations must never lose rows. drizzle-kit rebuilds SQLite tables for some changes (copy, drop,
 * rename), which can drop child rows on D1; this test applies the migrations one by one to a SQLite
 * database (the engine behind D1), seeds a row into every table that exists before each step, and
 * checks that every seeded row survives all later migrations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '../../migrations');
const files = readdirSync(DIR)
  .filter((f) => /^\d{4}_.+\.sql$/.test(f))
  .sort();

function statements(sql: string): string[] {
  return sql
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter(Boolean);
}

function tables(db: DatabaseSync): string[] {
  return db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\'")
    .all()
    .map((r) => String((r as { name: string }).name));
}

/** Inserts one row of type-appropriate values; returns false when constraints make a blind row impossible. */
function seedRow(db: DatabaseSync, table: string, tag: string): boolean {
  const cols = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[];
  const values = cols.map((c) => {
    const type = c.type.toUpperCase();
    if (type.includes('INT')) return 1_700_000_000_000 + tag.length;
    if (type.includes('REAL')) return 0.5;
    return `${tag}-${c.name}`;
  });
  try {
    db.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c.name}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
      ...values,
    );
    return true;
  } catch {
    return false;
  }
}

describe('D1 migrations', () => {
  it('Should be numbered without gaps, starting at 0000', () => {
    expect(files.length).toBeGreaterThan(0);
    files.forEach((f, i) => {
      expect(f.slice(0, 4)).toBe(String(i).padStart(4, '0'));
    });
  });

  it('Should keep every row seeded between migrations', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('PRAGMA foreign_keys = ON');
    const seeded = new Map<string, number>();
    files.forEach((file, step) => {
      for (const table of tables(db)) {
        if (seedRow(db, table, `step${step}`)) seeded.set(table, (seeded.get(table) ?? 0) + 1);
      }
      for (const stmt of statements(readFileSync(join(DIR, file), 'utf8'))) db.exec(stmt);
    });
    expect(seeded.size).toBeGreaterThan(0);
    for (const [table, n] of seeded) {
      const row = db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number };
      expect(row.n, `rows of ${table} after all migrations`).toBeGreaterThanOrEqual(n);
    }
  });
});
