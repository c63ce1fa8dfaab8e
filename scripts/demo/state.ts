/**
 * What `npm start` has already built, kept in a small JSON file (.data/demo.json, gitignored) so a
 * second start reuses the world, the model and the keys and comes up in seconds.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../lib/local-worker.ts';
import type { DemoAudioResult } from './demo-audio.ts';
import type { DemoCampaign } from './demo-campaign.ts';
import type { DemoEditorial } from './demo-editorial.ts';
import type { ImportedListener } from './imported-listener.ts';
import type { PressSummary } from './load-press.ts';
import type { LoadSummary } from './load-world.ts';
import type { WorldConfig } from './world.ts';

export const DEFAULT_STATE_FILE = join(ROOT, '.data/demo.json');

export interface DemoKey {
  key: string;
  artistIds?: string[];
  artistNames?: string[];
}

export interface DemoState {
  format: 'backbeat-demo/1';
  /** wrangler persist dir the state belongs to (null = wrangler's default .wrangler/state). */
  persistTo: string | null;
  world?: { config: WorldConfig; loadedAt: string; summary: LoadSummary };
  keys?: { app: DemoKey; artist: DemoKey; marketer: DemoKey };
  /** The world's articles sent through POST /v1/texts with the app key (scripts/demo/press.ts). */
  press?: PressSummary & { at: string };
  /** Synthesised recordings uploaded through PUT /v1/tracks/:id/audio and what the Worker found (./demo-audio.ts). */
  audio?: { results: DemoAudioResult[]; at: string };
  model?: { version: string; activatedAt: string; dir: string };
  campaign?: DemoCampaign;
  /** The editor key and the editorial playlists it published. */
  editorial?: DemoEditorial;
  /** Served lists acted on right after the first start, so reach and conversion are not empty. */
  warmup?: { sessions: number; lists: number; at: string };
  /** Alert detection run over the history's last days (scripts/demo/demo-alerts.ts). */
  alerts?: { days: number; alerts: number; at: string };
  /** The demo's experiment: the trained model against a popularity baseline, on the same model. */
  experiment?: { id: string; name: string; at: string };
  /** The listener whose synthetic Spotify history was imported through POST /v1/users/:id/imports. */
  importedListener?: ImportedListener;
}

export function readState(file: string): DemoState | null {
  if (!existsSync(file)) return null;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as DemoState;
    return state.format === 'backbeat-demo/1' ? state : null;
  } catch {
    return null;
  }
}

export function writeState(file: string, state: DemoState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}
