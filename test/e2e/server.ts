/**
 * The Worker the browser tests talk to: `wrangler dev` on its own port and its own persisted
 * state (wiped each run), with its own admin token, serving the built dashboard.
 */

import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applyLocalMigrations, type DevServer, freePort, ROOT, startDevServer } from '../../scripts/lib/local-worker.ts';

export const E2E_PERSIST = '.wrangler/state-e2e';

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
  rmSync(join(ROOT, E2E_PERSIST), { recursive: true, force: true });
  applyLocalMigrations(E2E_PERSIST);
  const adminToken = `e2e-admin-${randomBytes(12).toString('hex')}`;
  // A port the OS says is free, so the suite passes whatever else listens on this machine.
  const server = await startDevServer({
    port: await freePort(),
    persistTo: E2E_PERSIST,
    vars: { ADMIN_TOKEN: adminToken },
    ownProcessGroup: true,
  });
  return { server, adminToken };
}
