/** What every importer produces: catalogue rows, optional listener profiles, events, and its issue log. */
import type { DemoEvent } from '../history.ts';
import type { IssueLog } from './issues.ts';

export interface ImportTrack {
  id: string;
  title: string;
  artist: { id: string; name: string };
  duration_ms: number;
  release_date?: string;
  genre?: string;
  tags?: string[];
  audio_features?: Record<string, number>;
}

export interface ImportUser {
  id: string;
  timezone?: string;
  country?: string;
}

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
