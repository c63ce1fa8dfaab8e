/**
 * The part of the D1 client API the Worker's read paths use (prepare, bind, all, raw, first, run,
 * batch), over a local D1 SQLite file opened with node:sqlite. It lets a benchmark run the Worker's
 * own modules in Node against the state `wrangler dev` wrote, with Node's precise clock and profiler.
 * Read-only: the file is opened so, and nothing here writes.
 *
 * @example const db = createDb(localD1Client(openLocalD1('.wrangler/state-serving')));
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

type Row = Record<string, unknown>;

class Statement {
  readonly #db: DatabaseSync;
  readonly #sql: string;
  readonly #params: SQLInputValue[];
  constructor(db: DatabaseSync, sql: string, params: SQLInputValue[] = []) {
    this.#db = db;
    this.#sql = sql;
    this.#params = params;
  }
  #prepared(arrays: boolean): StatementSync {
    const s = this.#db.prepare(this.#sql);
    s.setReturnArrays(arrays);
    return s;
  }
  bind(...params: unknown[]): Statement {
    return new Statement(
      this.#db,
      this.#sql,
      params.map((p) => (typeof p === 'boolean' ? Number(p) : (p as SQLInputValue))),
    );
  }
  async all<T = Row>(): Promise<{ results: T[]; success: true; meta: Record<string, unknown> }> {
    return { results: this.#prepared(false).all(...this.#params) as T[], success: true, meta: {} };
  }
  async raw<T = unknown[]>(opts?: { columnNames?: boolean }): Promise<T[]> {
    const s = this.#prepared(true);
    const rows = s.all(...this.#params) as T[];
    return opts?.columnNames ? [s.columns().map((c) => c.name) as T, ...rows] : rows;
  }
  async first<T = Row>(column?: string): Promise<T | null> {
    const row = this.#prepared(false).get(...this.#params) as Row | undefined;
    if (!row) return null;
    return (column === undefined ? row : row[column]) as T;
  }
  async run(): Promise<{ success: true; meta: { changes: number } }> {
    const r = this.#prepared(false).run(...this.#params);
    return { success: true, meta: { changes: Number(r.changes) } };
  }
}

/** A D1Database look-alike over `db` (enough for the Worker's createDb and its raw `$client` reads). */
export function localD1Client(db: DatabaseSync): unknown {
  return {
    prepare: (sql: string) => new Statement(db, sql),
    batch: (statements: Statement[]) => Promise.all(statements.map((s) => s.all())),
    exec: async (sql: string) => {
      db.exec(sql);
      return { count: 0, duration: 0 };
    },
  };
}
