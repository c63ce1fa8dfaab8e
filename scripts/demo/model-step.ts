/**
 * Train → upload → activate, the model half of `npm start`: the trainer reads the local D1 file, the
 * bundle goes up and is switched on through models/publish/client.ts (the trainer's publishing side,
 * also `npm run publish`).
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import {
  activate,
  runningExperiment,
  type StartedExperiment,
  startExperiment,
  type Target,
  uploadBundle,
} from '../../models/publish/client.ts';
import { apiCall, ROOT } from '../lib/local-worker.ts';

export const TRAINER = join(ROOT, 'models/cli/train.ts');

/**
 * Runs the trainer on the local D1 of `persistTo`, writing the bundle to `outDir`. On a terminal the
 * trainer's own progress bar (iterations, loss) is shown; otherwise its output goes to `logFile`.
 */
export function trainFromLocal(persistTo: string, outDir: string, logFile: string, showOnTerminal: boolean): Promise<void> {
  const args = [TRAINER, '--from-local', '--persist-to', persistTo, '--out', outDir];
  const child = showOnTerminal
    ? spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' })
    : spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  if (!showOnTerminal) {
    const log = createWriteStream(logFile);
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`the trainer exited with ${code}${showOnTerminal ? '' : `; see ${logFile}`}`));
    });
  });
}

/** Uploads the bundle folder `dir` and activates it (models/publish/client.ts); returns the version. */
export async function uploadAndActivate(url: string, admin: string, dir: string): Promise<string> {
  const version = await uploadBundle({ url, key: admin }, dir);
  await activate({ url, key: admin }, version);
  return version;
}

/** The version serving traffic, or null when none is (or the endpoint does not exist). */
export async function activeModel(url: string, admin: string): Promise<string | null> {
  const res = await apiCall<{ models?: { version: string; active: boolean }[] }>(url, admin, '/v1/admin/models');
  if (res.status !== 200) return null;
  return res.body.models?.find((m) => m.active)?.version ?? null;
}

/** The demo's share of listeners served by popularity instead of the model. */
export const DEMO_BASELINE_SHARE = 0.2;

/**
 * The demo's experiment, or the one already running: the model against the week's popular tracks
 * (a settings-only arm of the same model, so the isolate holds one model), split 80/20.
 */
export async function startDemoExperiment(t: Target, version: string): Promise<StartedExperiment> {
  const running = await runningExperiment(t);
  if (running) return running;
  return startExperiment(t, 'Model against popularity', [
    { name: 'model', model_version: version, share: 1 - DEMO_BASELINE_SHARE },
    { name: 'popular', model_version: version, share: DEMO_BASELINE_SHARE, settings: { ranker: 'popular' } },
  ]);
}
