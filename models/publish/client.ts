/**
 * Publishing a trained bundle to a running Backbeat through its admin API: upload (multipart, one
 * part per bundle file), activation, and experiments. The trainer's side of `npm run publish` and of
 * `npm start`'s model step; it speaks HTTP only, so it works against any deployment.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MANIFEST_FILE, type Manifest } from '../../contract/bundle-manifest.ts';

export interface Target {
  url: string;
  /** An admin key. */
  key: string;
}

/** A non-2xx answer, with the server's error envelope when it sent one. */
export class PublishError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown, what: string) {
    super(`${what} failed (${status}): ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * One JSON call with the key; the body parsed when it is JSON (else its text). Never throws on a status.
 *
 * @example const { status, body } = await requestJson({ url, key }, '/v1/admin/models');
 */
export async function requestJson<T>(
  t: Target,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${t.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${t.key}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (CSV, HTML): keep the text
  }
  return { status: res.status, body: body as T };
}

async function call<T>(t: Target, path: string, what: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const { status, body } = await requestJson<T>(t, path, init);
  if (status < 200 || status > 299) throw new PublishError(status, body, what);
  return body;
}

/**
 * Uploads the bundle folder `dir` (its manifest and the files it lists) and returns its version.
 * A version uploaded before (409: versions are immutable) counts as uploaded.
 *
 * @example const version = await uploadBundle({ url, key }, '.data/model');
 */
export async function uploadBundle(t: Target, dir: string): Promise<string> {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const form = new FormData();
  for (const file of [MANIFEST_FILE, ...Object.values(manifest.files)]) {
    form.append(basename(file), new Blob([readFileSync(join(dir, file))]), basename(file));
  }
  let res: Response | null = null;
  for (let attempt = 1; !res; attempt++) {
    try {
      res = await fetch(`${t.url}/v1/admin/models`, { method: 'POST', headers: { authorization: `Bearer ${t.key}` }, body: form });
    } catch (err) {
      // A busy local dev server sometimes drops a multi-MB upload mid-body (EPIPE): try again.
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  if (res.status !== 201 && res.status !== 409) throw new PublishError(res.status, await res.text(), `uploading model ${manifest.version}`);
  return manifest.version;
}

/** Switches traffic to an uploaded version. */
export async function activate(t: Target, version: string): Promise<void> {
  await call(t, `/v1/admin/models/${encodeURIComponent(version)}/activate`, `activating model ${version}`, { method: 'POST' });
}

/** The version serving traffic, or null when none is. */
export async function activeVersion(t: Target): Promise<string | null> {
  const body = await call<{ active: string | null }>(t, '/v1/admin/models', 'listing models');
  return body.active;
}

export interface ArmSpec {
  name: string;
  model_version: string;
  share?: number;
  settings?: { ranker?: 'model' | 'popular'; exploration?: number; diversity?: number; max_per_artist?: number };
}

export interface StartedExperiment {
  id: string;
  name: string;
  mode: 'split' | 'interleave';
  arms: Array<Required<Pick<ArmSpec, 'name' | 'model_version' | 'share'>>>;
}

/** Starts an experiment (409 when one runs already: stop it first). */
export function startExperiment(
  t: Target,
  name: string,
  arms: ArmSpec[],
  mode: 'split' | 'interleave' = 'split',
): Promise<StartedExperiment> {
  return call<StartedExperiment>(t, '/v1/admin/experiments', `starting experiment ${name}`, { body: { name, mode, arms } });
}

/** The running experiment, if any. */
export async function runningExperiment(t: Target): Promise<StartedExperiment | null> {
  const body = await call<{ experiments: Array<StartedExperiment & { status: string }> }>(
    t,
    '/v1/admin/experiments?limit=20',
    'listing experiments',
  );
  return body.experiments.find((e) => e.status === 'running') ?? null;
}

/** Stops an experiment. */
export async function stopExperiment(t: Target, id: string): Promise<void> {
  await call(t, `/v1/admin/experiments/${encodeURIComponent(id)}/stop`, `stopping experiment ${id}`, { method: 'POST' });
}

/** An experiment's report (GET /v1/admin/experiments/{id}/report). */
export function experimentReport<T>(t: Target, id: string): Promise<T> {
  return call<T>(t, `/v1/admin/experiments/${encodeURIComponent(id)}/report`, `reading experiment ${id}`);
}
