/**
 * README's curl tour, run as it is written (issue 13, item 1; issue 28, item 5): the block under
 * "A tour with curl" runs in bash -e against a fresh `wrangler dev` with a model active, so a step
 * that README shows and the API refuses fails the suite, as it would stop a reader.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadAndActivate } from '../../scripts/demo/model-step.ts';
import {
  applyLocalMigrations,
  type DevServer,
  ensureAdminToken,
  ensureAssetsDir,
  freePort,
  ROOT,
  startDevServer,
} from '../../scripts/lib/local-worker.ts';
import { BUNDLES } from '../worker/recs/fixtures/bundles.gen.ts';

const PERSIST = '.wrangler/state-readme-tour';

/** The first ```sh block after the heading. */
function tourBlock(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const after = readme.slice(readme.indexOf('## A tour with curl'));
  const m = /```sh\n([\s\S]*?)\n```/.exec(after);
  if (!m?.[1]) throw new Error('README has no sh block under "A tour with curl"');
  return m[1];
}

let server: DevServer | null = null;
const bundleDir = mkdtempSync(join(tmpdir(), 'backbeat-tour-bundle-'));

beforeAll(async () => {
  rmSync(join(ROOT, PERSIST), { recursive: true, force: true });
  applyLocalMigrations(PERSIST);
  ensureAssetsDir();
  server = await startDevServer({ port: await freePort(), persistTo: PERSIST });
  // The fixture bundle of the Worker tests: README's tour needs "an active model".
  const bundle = BUNDLES[0] as (typeof BUNDLES)[number];
  writeFileSync(join(bundleDir, 'manifest.json'), bundle.manifest);
  for (const [name, b64] of Object.entries(bundle.files)) writeFileSync(join(bundleDir, name), Buffer.from(b64, 'base64'));
  await uploadAndActivate(server.url, ensureAdminToken(), bundleDir);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(join(ROOT, PERSIST), { recursive: true, force: true });
  rmSync(bundleDir, { recursive: true, force: true });
});

describe("README's curl tour", () => {
  it('Should run every step as written, stopping at none', () => {
    const run = spawnSync('bash', ['-e', '-c', tourBlock()], {
      env: { ...process.env, ADMIN: ensureAdminToken(), API: server?.url },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, `${run.stderr}\n${run.stdout.slice(-3000)}`).toBe(0);
    expect(run.stdout).toContain('"accepted":3,"stored":3');
    expect(run.stdout).toMatch(/server-timing: model;dur=/i);
    expect(run.stdout).toContain('"kind":"discover-weekly"');
    expect(run.stdout).toContain('"status":"published"');
    expect(run.stdout).toContain('"placements":');
  });

  it('Should stop at a step the API refuses, with its answer', () => {
    const run = spawnSync('bash', ['-e', '-c', tourBlock()], {
      env: { ...process.env, ADMIN: 'bb_notakey000000_00000000000000000000000000000000', API: server?.url },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('"code":"unauthorized"');
    // Stopped at the first step: nothing was uploaded.
    expect(run.stdout).not.toContain('"accepted"');
  });
});
