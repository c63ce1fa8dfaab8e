/**
 * Experiments and their outcomes. Outcomes read the served lists tagged with the experiment
 * (rec_lists.experiment_id / arm, rec_items.arm for interleaved lists) and the hot events tier.
 */
import type { GroupStats } from '../analytics/lift.ts';
import type { Db } from './client.ts';
import { countedSkipSql, playSql, streamSql } from './event-rules.ts';

export interface Arm {
  name: string;
  /** The model version this arm serves. */
  model_version: string;
  /** Share of listeners, 0..1; the shares of an experiment sum to 1. */
  share: number;
  /** Ranking settings this arm serves with, over the request's own. */
  settings?: ArmSettings | undefined;
}

export interface ArmSettings {
  exploration?: number | undefined;
  diversity?: number | undefined;
  max_per_artist?: number | undefined;
  /** `popular`: the week's popular tracks instead of the model's ranking (a baseline arm). */
  ranker?: 'model' | 'popular' | undefined;
}

/** The metrics compared between arms, each a per-listener value. */
export const ARM_METRICS = ['conversion', 'streams_per_user', 'saves_per_user', 'skip_rate'] as const;
export type ArmMetric = (typeof ARM_METRICS)[number];

export interface ArmOutcome {
  arm: string;
  /** Listeners served at least one list under the experiment. */
  users: number;
  lists: number;
  impressions: number;
  /** Distinct tracks the arm served. */
  distinctTracks: number;
  metrics: Record<ArmMetric, GroupStats>;
}

export type ExperimentMode = 'split' | 'interleave';
export type ExperimentStatus = 'running' | 'stopped' | 'promoted';

export interface ExperimentRow {
  id: string;
  name: string;
  mode: ExperimentMode;
  status: ExperimentStatus;
  arms: Arm[];
  winner: string | null;
  createdBy: string;
  startedAt: number;
  stoppedAt: number | null;
}

interface RawRow extends Omit<ExperimentRow, 'arms'> {
  arms: string;
}

const COLUMNS =
  'id, name, mode, status, arms, winner, created_by AS createdBy, started_at AS startedAt, stopped_at AS stoppedAt FROM experiments';
const parse = (r: RawRow): ExperimentRow => ({ ...r, arms: JSON.parse(r.arms) as Arm[] });

/**
 * Starts an experiment unless another one runs; false when one does (the check and the insert are
 * one statement, so two concurrent starts cannot both succeed).
 */
export async function insertExperiment(db: Db, e: Omit<ExperimentRow, 'status' | 'winner' | 'stoppedAt'>): Promise<boolean> {
  const res = await db.$client
    .prepare(
      `INSERT INTO experiments (id, name, mode, status, arms, created_by, started_at)
       SELECT ?1, ?2, ?3, 'running', ?4, ?5, ?6 WHERE NOT EXISTS (SELECT 1 FROM experiments WHERE status = 'running')`,
    )
    .bind(e.id, e.name, e.mode, JSON.stringify(e.arms), e.createdBy, e.startedAt)
    .run();
  return res.meta.changes === 1;
}

export async function findExperiment(db: Db, id: string): Promise<ExperimentRow | null> {
  const row = await db.$client.prepare(`SELECT ${COLUMNS} WHERE id = ?1`).bind(id).first<RawRow>();
  return row ? parse(row) : null;
}

export async function runningExperiment(db: Db): Promise<ExperimentRow | null> {
  const row = await db.$client.prepare(`SELECT ${COLUMNS} WHERE status = 'running' LIMIT 1`).first<RawRow>();
  return row ? parse(row) : null;
}

/** Newest first. */
export async function listExperiments(db: Db, limit: number): Promise<ExperimentRow[]> {
  const { results } = await db.$client.prepare(`SELECT ${COLUMNS} ORDER BY started_at DESC, id DESC LIMIT ?1`).bind(limit).all<RawRow>();
  return results.map(parse);
}

/** Stops a running experiment; false when it was not running. */
export async function stopExperiment(db: Db, id: string, now: number): Promise<boolean> {
  const res = await db.$client
    .prepare(`UPDATE experiments SET status = 'stopped', stopped_at = ?2 WHERE id = ?1 AND status = 'running'`)
    .bind(id, now)
    .run();
  return res.meta.changes === 1;
}

/** Marks `arm` the winner of a running or stopped experiment; false when it was promoted already. */
export async function markPromoted(db: Db, id: string, arm: string, now: number): Promise<boolean> {
  const res = await db.$client
    .prepare(
      `UPDATE experiments SET status = 'promoted', winner = ?2, stopped_at = coalesce(stopped_at, ?3)
       WHERE id = ?1 AND status IN ('running', 'stopped')`,
    )
    .bind(id, arm, now)
    .run();
  return res.meta.changes === 1;
}

const stats = (n: number, sum: number | null, sumSq: number | null): GroupStats => ({ n, sum: sum ?? 0, sumSq: sumSq ?? 0 });

/**
 * Per arm of a split experiment, over listeners served under it before `to`, each value per
 * listener from the events sent back with the rec_id of a list served to them under the experiment
 * (attribution by list, not by clock: a client clock behind the server's loses nothing):
 * conversion (share of their lists with a stream), streams, net saves, and skip rate among their
 * plays (listeners with plays only). Every listener served counts, those who did nothing as 0.
 */
export async function splitOutcomes(db: Db, e: ExperimentRow, to: number): Promise<ArmOutcome[]> {
  const d1 = db.$client;
  const [perUser, served] = await Promise.all([
    d1
      .prepare(
        `WITH lists AS (SELECT rec_id, user_id, arm, served_at FROM rec_lists WHERE experiment_id = ?1 AND served_at < ?2),
         listeners AS (SELECT user_id, min(arm) AS arm, count(*) AS lists FROM lists GROUP BY user_id),
         from_lists AS (
           SELECT l.user_id,
                  count(DISTINCT CASE WHEN ${streamSql('e')} THEN l.rec_id END) AS converted,
                  coalesce(sum(${streamSql('e')}), 0) AS streams,
                  coalesce(sum(e.type = 'save') - sum(e.type = 'unsave'), 0) AS saves,
                  coalesce(sum(${countedSkipSql('e')}), 0) AS skips,
                  coalesce(sum(${playSql('e')}), 0) AS plays
           FROM lists l JOIN events e ON e.rec_id = l.rec_id AND e.user_id = l.user_id AND e.ts < ?2
           GROUP BY l.user_id),
         per_user AS (
           SELECT u.arm, u.lists, coalesce(f.converted, 0) * 1.0 / u.lists AS conversion,
                  coalesce(f.streams, 0) AS streams, coalesce(f.saves, 0) AS saves,
                  CASE WHEN f.plays > 0 THEN f.skips * 1.0 / f.plays END AS skip_rate
           FROM listeners u LEFT JOIN from_lists f ON f.user_id = u.user_id)
         SELECT arm, count(*) AS n, sum(lists) AS lists,
                sum(conversion) AS convSum, sum(conversion * conversion) AS convSq,
                sum(streams) AS streamsSum, sum(streams * streams) AS streamsSq,
                sum(saves) AS savesSum, sum(saves * saves) AS savesSq,
                count(skip_rate) AS skipN, sum(skip_rate) AS skipSum, sum(skip_rate * skip_rate) AS skipSq
         FROM per_user GROUP BY arm`,
      )
      .bind(e.id, to)
      .all<{
        arm: string;
        n: number;
        lists: number;
        convSum: number;
        convSq: number;
        streamsSum: number;
        streamsSq: number;
        savesSum: number;
        savesSq: number;
        skipN: number;
        skipSum: number | null;
        skipSq: number | null;
      }>(),
    d1
      .prepare(
        `SELECT l.arm AS arm, count(*) AS impressions, count(DISTINCT i.track_id) AS distinctTracks
         FROM rec_lists l JOIN rec_items i ON i.rec_id = l.rec_id
         WHERE l.experiment_id = ?1 AND l.served_at < ?2 GROUP BY l.arm`,
      )
      .bind(e.id, to)
      .all<{ arm: string; impressions: number; distinctTracks: number }>(),
  ]);
  return e.arms.map((arm) => {
    const r = perUser.results.find((x) => x.arm === arm.name);
    const s = served.results.find((x) => x.arm === arm.name);
    const n = r?.n ?? 0;
    return {
      arm: arm.name,
      users: n,
      lists: r?.lists ?? 0,
      impressions: s?.impressions ?? 0,
      distinctTracks: s?.distinctTracks ?? 0,
      metrics: {
        conversion: stats(n, r?.convSum ?? 0, r?.convSq ?? 0),
        streams_per_user: stats(n, r?.streamsSum ?? 0, r?.streamsSq ?? 0),
        saves_per_user: stats(n, r?.savesSum ?? 0, r?.savesSq ?? 0),
        skip_rate: stats(r?.skipN ?? 0, r?.skipSum ?? 0, r?.skipSq ?? 0),
      },
    };
  });
}

/** Per listener of an interleaving experiment: streams credited to arm A's and arm B's tracks. */
export async function interleaveCredits(
  db: Db,
  e: ExperimentRow,
  to: number,
): Promise<{ exposed: number; credits: { a: number; b: number }[]; lists: number; impressions: number }> {
  const [a, b] = e.arms;
  if (!a || !b) throw new Error('an interleaving experiment has two arms');
  const d1 = db.$client;
  const [credits, exposure] = await Promise.all([
    d1
      .prepare(
        `WITH lists AS (SELECT rec_id, user_id FROM rec_lists WHERE experiment_id = ?1 AND served_at < ?2)
         SELECT l.user_id AS userId, sum(i.arm = ?3) AS a, sum(i.arm = ?4) AS b
         FROM lists l
         JOIN events e ON e.rec_id = l.rec_id AND e.user_id = l.user_id AND e.ts < ?2 AND ${streamSql('e')}
         JOIN rec_items i ON i.rec_id = l.rec_id AND i.track_id = e.track_id
         GROUP BY l.user_id`,
      )
      .bind(e.id, to, a.name, b.name)
      .all<{ userId: string; a: number; b: number }>(),
    d1
      .prepare(
        `SELECT count(DISTINCT l.user_id) AS exposed, count(DISTINCT l.rec_id) AS lists, count(i.rec_id) AS impressions
         FROM rec_lists l LEFT JOIN rec_items i ON i.rec_id = l.rec_id WHERE l.experiment_id = ?1 AND l.served_at < ?2`,
      )
      .bind(e.id, to)
      .first<{ exposed: number; lists: number; impressions: number }>(),
  ]);
  return {
    exposed: exposure?.exposed ?? 0,
    lists: exposure?.lists ?? 0,
    impressions: exposure?.impressions ?? 0,
    credits: credits.results.map((r) => ({ a: r.a, b: r.b })),
  };
}

/** Tracks in the catalogue now: the denominator of an arm's coverage. */
export async function catalogueTrackCount(db: Db): Promise<number> {
  const row = await db.$client.prepare('SELECT count(*) AS n FROM tracks').first<{ n: number }>();
  return row?.n ?? 0;
}
