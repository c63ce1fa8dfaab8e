/** An experiment's report, read from its served lists and the events that followed them. */
import type { Db } from '../db/client.ts';
import { catalogueTrackCount, type ExperimentRow, interleaveCredits, splitOutcomes } from '../db/experiments.ts';
import { preferenceOf } from './interleave.ts';
import { interleaveReport, splitReport } from './report.ts';

/**
 * Split experiments: `arms` and `lift` (each arm against the control); interleaving: `interleaving`.
 * Measured up to the stop, or `now` while it runs.
 */
export async function measureExperiment(db: Db, e: ExperimentRow, now: number) {
  const to = e.stoppedAt ?? now;
  const window = { measured_from: new Date(e.startedAt).toISOString(), measured_to: new Date(to).toISOString() };
  if (e.mode === 'interleave') {
    const { exposed, credits, lists, impressions } = await interleaveCredits(db, e, to);
    const prefs = credits.map(preferenceOf);
    const report = interleaveReport(
      { n: prefs.length, sum: prefs.reduce((s, p) => s + p, 0), sumSq: prefs.reduce((s, p) => s + p * p, 0) },
      {
        wins_a: prefs.filter((p) => p === 0).length,
        wins_b: prefs.filter((p) => p === 1).length,
        ties: prefs.filter((p) => p === 0.5).length,
      },
    );
    return { ...window, arms: [], lift: [], interleaving: { exposed_users: exposed, lists, impressions, ...report } };
  }
  const [outcomes, tracks] = await Promise.all([splitOutcomes(db, e, to), catalogueTrackCount(db)]);
  return { ...window, ...splitReport(outcomes, tracks), interleaving: null };
}
