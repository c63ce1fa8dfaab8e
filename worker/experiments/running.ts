/**
 * The running experiment, per isolate: re-read from D1 at most every RUNNING_TTL_MS (as the active
 * model version is), so a start or stop reaches every isolate within that time.
 */
import type { Db } from '../db/client.ts';
import { type ExperimentRow, runningExperiment } from '../db/experiments.ts';
import { type Arm, armAt, bucketOf } from './assign.ts';

export const RUNNING_TTL_MS = 30_000;

let lookup: { experiment: ExperimentRow | null; checkedAt: number } | null = null;

/** Makes this isolate see a start, stop or promotion at once (the others notice within the TTL). */
export function forgetRunningExperiment(): void {
  lookup = null;
}

async function running(db: Db, now: number): Promise<ExperimentRow | null> {
  if (lookup && now - lookup.checkedAt < RUNNING_TTL_MS) return lookup.experiment;
  const experiment = await runningExperiment(db);
  lookup = { experiment, checkedAt: now };
  return experiment;
}

/** How one listener is served under the running experiment. */
export type Assignment = { experimentId: string; mode: 'split'; arm: Arm } | { experimentId: string; mode: 'interleave'; a: Arm; b: Arm };

/**
 * The listener's assignment, or null when no experiment runs.
 *
 * @example const a = await assignmentFor(db, 'u-42', Date.now()); // { mode: 'split', arm: { name: 'treatment', … } }
 */
export async function assignmentFor(db: Db, userId: string, now: number): Promise<Assignment | null> {
  const e = await running(db, now);
  if (!e) return null;
  if (e.mode === 'interleave') {
    const [a, b] = e.arms;
    if (!a || !b) return null;
    return { experimentId: e.id, mode: 'interleave', a, b };
  }
  return { experimentId: e.id, mode: 'split', arm: armAt(e.arms, await bucketOf(e.id, userId)) };
}
