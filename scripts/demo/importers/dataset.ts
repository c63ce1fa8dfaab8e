/** What every importer produces: catalogue rows, optional listener profiles, events, and its issue log. */
import type { TrackInput } from '../../../worker/schemas/track.ts';
import type { UserInput } from '../../../worker/schemas/user.ts';
import type { DemoEvent } from '../history.ts';
import type { IssueLog } from './issues.ts';

/** Catalogue rows and listener profiles in the PUT /v1/tracks and PUT /v1/users shapes. */
export type ImportTrack = TrackInput;
export type ImportUser = UserInput;

export interface Dataset {
  name: string;
  /** Read once; called before events() so catalogue rows go first. */
  tracks(): Promise<ImportTrack[]>;
  users(): Promise<ImportUser[]>;
  /** Streamed: a listening log may not fit in memory. */
  events(): AsyncIterable<DemoEvent>;
  issues: IssueLog;
  /** Lines the importer wants the user to read in the summary (how it mapped the data). */
  notes: string[];
}
