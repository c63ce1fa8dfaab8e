/**
 * The Worker the browser tests talk to: `wrangler dev` on its own port and its own persisted
 * state (wiped each run), with its own admin token, serving the built dashboard.
 */

import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applyLocalMigrations, type DevServer, ROOT, startDevServer } from '../../scripts/lib/local-worker.ts';

export const E2E_PORT = 8790;
const PERSIST = '.wrangler/state-e2e';

export interface E2eWorker {
  server: DevServer;
  adminToken: string;
}

export async function startE2eWorker(): Promise<E2eWorker> {
  if (!existsSync(join(ROOT, 'dashboard/build/index.html'))) {
    // `npm test` builds the dashboard before vitest; a lone `vitest --project e2e` may not have.
    console.log('[e2e] dashboard/build is missing: running npm run build:dashboard');
    execSync('npm run build:dashboard', { cwd: ROOT, stdio: 'inherit' });
  }
  const inUse = await fetch(`http://127.0.0.1:${E2E_PORT}/healthz`).then(
    () => true,
    () => false,
  );
  if (inUse) throw new Error(`[e2e] port ${E2E_PORT} is already answering: stop that process (an earlier run's wrangler dev?) first`);
  rmSync(join(ROOT, PERSIST), { recursive: true, force: true });
  applyLocalMigrations(PERSIST);
  const adminToken = `e2e-admin-${randomBytes(12).toString('hex')}`;
  const server = await startDevServer({ port: E2E_PORT, persistTo: PERSIST, vars: { ADMIN_TOKEN: adminToken }, ownProcessGroup: true });
  return { server, adminToken };
}
