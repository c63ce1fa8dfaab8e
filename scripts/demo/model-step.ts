/**
 * Train → upload → activate, the model half of `npm start`: the trainer reads the local D1 file, the
 * bundle goes up through POST /v1/admin/models (multipart, one part per file) and is switched on with
 * POST /v1/admin/models/:version/activate.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MANIFEST_FILE, type Manifest } from '../../contract/bundle-manifest.ts';
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

/**
 * Uploads the bundle folder `dir` (manifest and the files it lists); returns its version.
 *
 * @example const version = await uploadBundle(url, adminToken, '.data/model');
 */
export async function uploadBundle(url: string, admin: string, dir: string): Promise<string> {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const form = new FormData();
  for (const file of [MANIFEST_FILE, ...Object.values(manifest.files)]) {
    form.append(basename(file), new Blob([readFileSync(join(dir, file))]), basename(file));
  }
  let res: Response | null = null;
  for (let attempt = 1; !res; attempt++) {
    try {
      res = await fetch(`${url}/v1/admin/models`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    } catch (err) {
      // A busy local dev server sometimes drops a multi-MB upload mid-body (EPIPE): try again.
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  // 409: this exact version was uploaded before (a re-run after an interrupted start); activating it is enough.
  if (res.status !== 201 && res.status !== 409)
    throw new Error(`uploading model ${manifest.version} failed (${res.status}): ${await res.text()}`);
  return manifest.version;
}

/** Switches traffic to an uploaded model version. */
export async function activateModel(url: string, admin: string, version: string): Promise<void> {
  const act = await apiCall(url, admin, `/v1/admin/models/${encodeURIComponent(version)}/activate`, { method: 'POST' });
  if (act.status !== 200) throw new Error(`activating model ${version} failed (${act.status}): ${JSON.stringify(act.body)}`);
}

/** Uploads the bundle folder `dir` and activates it; returns the version. */
export async function uploadAndActivate(url: string, admin: string, dir: string): Promise<string> {
  const version = await uploadBundle(url, admin, dir);
  await activateModel(url, admin, version);
  return version;
}

/** The version serving traffic, or null when none is (or the endpoint does not exist). */
export async function activeModel(url: string, admin: string): Promise<string | null> {
  const res = await apiCall<{ models?: { version: string; active: boolean }[] }>(url, admin, '/v1/admin/models');
  if (res.status !== 200) return null;
  return res.body.models?.find((m) => m.active)?.version ?? null;
}
