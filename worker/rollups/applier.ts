import { DurableObject } from 'cloudflare:workers';
import { createDb } from '../db/client.ts';
import { applyPendingDeltas, type DeltaResult, type RefreshResult, refreshDirtyDays } from '../db/rollups.ts';
import { logger } from '../log.ts';

/** A poke waits this long before applying, so the batches of a burst share one transaction. */
const DEBOUNCE_MS = 250;
/** Batches one alarm applies before it lets the next alarm go on (keeps one invocation short). */
const BATCHES_PER_ALARM = 2_048;
/** Marked days one alarm recomputes: a whole-day recompute is much slower than a delta. */
const DAYS_PER_ALARM = 2;

export interface ApplierRun extends RefreshResult {
  deltas: DeltaResult;
}

/**
 * The one writer of the analytics rollups. Ingest and serving poke it after their transaction
 * commits; a short alarm later it adds the pending deltas (worker/db/rollups.ts), then recomputes a
 * few days marked by catalogue or profile changes, and re-arms itself while work is left. Being one
 * object makes every rollup write serial, which the deltas rely on; a deployment past one D1
 * database runs one per shard (docs/scale.md).
 *
 * Alarms are durable and retried, and a lost poke costs nothing: the rows are already committed with
 * their pending marks, so the next poke, the cron (every minute) or `POST /v1/admin/analytics/refresh`
 * picks them up.
 */
export class RollupApplier extends DurableObject<Env> {
  #running: Promise<unknown> = Promise.resolve();
  /** An alarm is set and has not started: a poke needs no storage call (one per ingest request). */
  #armed = false;
  #inAlarm = false;

  /** Schedules a run soon, unless one is already scheduled. */
  async poke(): Promise<void> {
    if (this.#armed) return;
    // During a run, the next one is always scheduled: this run may have read the pending rows already.
    if (this.#inAlarm || (await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + DEBOUNCE_MS);
    this.#armed = true;
  }

  /** Applies every pending delta and up to `maxDays` marked days now; what the cron and admins call. */
  async refresh(opts: { maxDays: number; retryFailed?: boolean }): Promise<ApplierRun> {
    return this.#serial(() => this.#run(Number.MAX_SAFE_INTEGER, opts.maxDays, opts.retryFailed ?? false));
  }

  override async alarm(): Promise<void> {
    // From here on a poke must arm the next run: rows committed after this run reads them are its work.
    this.#armed = false;
    this.#inAlarm = true;
    let run: ApplierRun;
    try {
      run = await this.#serial(() => this.#run(BATCHES_PER_ALARM, DAYS_PER_ALARM, false));
    } finally {
      this.#inAlarm = false;
    }
    if (run.deltas.failed.length > 0 || run.failed.length > 0) {
      logger({ job: 'rollup-applier' }).error('rollups failed', undefined, { failedBatches: run.deltas.failed, failedDays: run.failed });
    }
    if (run.remaining > 0 || run.deltas.applied === BATCHES_PER_ALARM) {
      await this.ctx.storage.setAlarm(Date.now());
      this.#armed = true;
    }
  }

  async #run(maxBatches: number, maxDays: number, retryFailed: boolean): Promise<ApplierRun> {
    const db = createDb(this.env.DB);
    const deltas = await applyPendingDeltas(db, { maxBatches, retryFailed });
    const days = await refreshDirtyDays(db, { maxDays });
    return { deltas, ...days };
  }

  /** Runs `job` after the ones before it: an RPC and an alarm may otherwise interleave at awaits. */
  #serial<T>(job: () => Promise<T>): Promise<T> {
    const next = this.#running.then(job, job);
    this.#running = next.catch(() => undefined);
    return next;
  }
}

/** The applier of this deployment (one; see docs/scale.md for sharding). */
export function rollupApplier(env: Env): DurableObjectStub<RollupApplier> {
  return env.ROLLUPS.get(env.ROLLUPS.idFromName('rollups'));
}

/**
 * Tells the applier new rows are pending. Never throws: the rows are committed with their pending
 * marks, so a poke that fails only delays them until the next poke or the cron.
 */
export async function pokeRollups(env: Env): Promise<void> {
  try {
    await rollupApplier(env).poke();
  } catch (err) {
    logger({ job: 'rollup-applier' }).warn('poke failed', { error: (err as Error).message });
  }
}
