/**
 * Experiments: model versions (or ranking settings) compared online. A split experiment assigns each
 * listener to one arm by a stable hash of the user id; an interleaving experiment merges two arms'
 * lists into one (team draft) and credits each stream to the arm that placed the track.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const experiments = sqliteTable(
  'experiments',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** `split` (A/B/n by hashed user id) or `interleave` (team-draft interleaving of two arms). */
    mode: text('mode', { enum: ['split', 'interleave'] }).notNull(),
    /** `running`, `stopped` or `promoted`. At most one experiment runs at a time. */
    status: text('status', { enum: ['running', 'stopped', 'promoted'] }).notNull(),
    /** JSON array of arms: `{ name, model_version, share }`; the first arm is the control. */
    arms: text('arms').notNull(),
    /** The arm whose model was activated for everyone, once promoted. */
    winner: text('winner'),
    createdBy: text('created_by').notNull(),
    startedAt: integer('started_at').notNull(),
    stoppedAt: integer('stopped_at'),
  },
  (t) => [index('experiments_status_idx').on(t.status)],
);
