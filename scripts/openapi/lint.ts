/**
 * Lints the Worker's served OpenAPI document with Redocly's `recommended-strict` rules (redocly.yaml),
 * so a route without an operationId or 4xx responses fails `npm run check`, warnings included.
 * The document is built in-process, as the dashboard's type generator builds it: no server, no port.
 *
 * Example: `npm run lint:openapi` (its own tsconfig: it imports the Worker, so it needs workerd's types)
 */
import '../../dashboard/scripts/worker-stubs.ts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url).href);
const { app } = await import('../../worker/app.ts');
const res = await app.request('/v1/openapi.json');
if (!res.ok) throw new Error(`the Worker answered ${res.status} for /v1/openapi.json`);

const dir = mkdtempSync(join(tmpdir(), 'backbeat-openapi-'));
try {
  const file = join(dir, 'openapi.json');
  // Pretty-printed, so Redocly's line:column positions point somewhere readable.
  writeFileSync(file, JSON.stringify(await res.json(), null, 2));
  const redocly = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');
  const run = spawnSync(process.execPath, [redocly, 'lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format=stylish'], {
    stdio: 'inherit',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
