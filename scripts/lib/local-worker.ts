/**
 * Starting and reaching the local Worker (wrangler dev with local D1/R2) from Node scripts:
 * `npm start`, benchmarks and the demo tools share these steps.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { requestJson } from '../../models/publish/client.ts';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const DEFAULT_PORT = 8787;
/** Written by a running `npm start` ({ pid, url }), removed when it stops; `npm run reset` reads it. */
export const RUNNING_FILE = join(ROOT, '.data/running.json');
const DEV_VARS = join(ROOT, '.dev.vars');

const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: process.env.CI ?? '' };

/**
 * The local root admin token from .dev.vars, created (random) on first use. Written unquoted, so the
 * line can be copied as it stands: a quoted value copied with its quotes gave 401 on every tour step.
 * A file an earlier version wrote with quotes is rewritten without them.
 */
export function ensureAdminToken(file = DEV_VARS): string {
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    const m = /^ADMIN_TOKEN[ \t]*=[ \t]*("?)([^"\n]+)\1[ \t]*$/m.exec(text);
    if (m?.[2]) {
      if (m[1] === '"') writeFileSync(file, text.replace(m[0], `ADMIN_TOKEN=${m[2]}`), { mode: 0o600 });
      return m[2];
    }
  }
  const token = `local-admin-${randomBytes(18).toString('base64url')}`;
  writeFileSync(file, `ADMIN_TOKEN=${token}\n`, { mode: 0o600 });
  return token;
}

/** Applies pending migrations to the local D1 (idempotent). */
export function applyLocalMigrations(persistTo?: string): void {
  const args = ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', ...(persistTo ? ['--persist-to', persistTo] : [])];
  const r = spawnSync('npx', args, { cwd: ROOT, env: wranglerEnv, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`applying migrations failed:\n${r.stdout}\n${r.stderr}`);
}

/** wrangler dev needs the assets folder to exist even before the dashboard is built. */
export function ensureAssetsDir(): void {
  mkdirSync(join(ROOT, 'dashboard/build'), { recursive: true });
}

export interface DevServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `wrangler dev` and resolves once /healthz answers. Output goes to `logFile` (or is
 * inherited) so the caller's terminal stays readable.
 */
export async function startDevServer(
  opts: {
    port?: number;
    persistTo?: string;
    inheritOutput?: boolean;
    vars?: Record<string, string>;
    /** Run wrangler in its own process group, out of reach of the terminal's Ctrl+C: the caller stops it in its own order. */
    ownProcessGroup?: boolean;
    /** The devtools (inspector) port of the Worker, e.g. for a CPU profile (scripts/lib/cpu-profile.ts); wrangler's default otherwise. */
    inspectorPort?: number;
    /** Serve `/__scheduled?cron=…` (wrangler's --test-scheduled), so a local clock can run the cron jobs. */
    testScheduled?: boolean;
  } = {},
): Promise<DevServer> {
  const port = opts.port ?? DEFAULT_PORT;
  // Checked first: otherwise the health check below could be answered by whatever already listens
  // there (an earlier `npm start` killed with SIGKILL leaves its workerd behind). A server stopped a
  // moment ago may still be letting go of the port, so allow it a few seconds.
  const freeBy = Date.now() + 5000;
  while (await portTaken(port)) {
    if (Date.now() >= freeBy) {
      throw new Error(
        `port ${port} on 127.0.0.1 is already in use: stop what listens there (an earlier npm start? \`lsof -i :${port}\` shows it) or pass --port N`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const args = ['wrangler', 'dev', '--port', String(port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false'];
  if (opts.persistTo) args.push('--persist-to', opts.persistTo);
  if (opts.testScheduled) args.push('--test-scheduled');
  if (opts.inspectorPort) args.push('--inspector-port', String(opts.inspectorPort), '--inspector-ip', '127.0.0.1');
  for (const [k, v] of Object.entries(opts.vars ?? {})) args.push('--var', `${k}:${v}`);
  const child = spawn('npx', args, {
    cwd: ROOT,
    env: wranglerEnv,
    stdio: opts.inheritOutput ? 'inherit' : 'pipe',
    detached: opts.ownProcessGroup ?? false,
  });
  // npx does not pass SIGTERM on to wrangler: signal the whole group, or else every process below npx.
  const kill = (signal: NodeJS.Signals) => {
    if (!child.pid) return;
    // The group outlives npx, but npx's own pid may be reused once it has exited.
    const npxRunning = child.exitCode === null && child.signalCode === null;
    const targets = opts.ownProcessGroup ? [-child.pid] : npxRunning ? processTree(child.pid) : [];
    for (const pid of targets) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  };
  let output = '';
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output.slice(-4000)}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  if (Date.now() >= deadline) {
    kill('SIGTERM');
    throw new Error(`wrangler dev did not answer on ${url} within 120 s:\n${output.slice(-4000)}`);
  }
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        kill('SIGTERM');
        setTimeout(() => kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** `pid` and every process below it (npx → wrangler → workerd), from one `ps` listing. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  const ps = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  for (const line of (ps.stdout ?? '').split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child && parent) children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

/**
 * A port on 127.0.0.1 that the OS says is free right now (it binds port 0 and lets go), so tests and
 * benchmarks never collide with another server on a fixed port.
 *
 * @example const port = await freePort(); await startDevServer({ port })
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('the OS gave no free port'))));
    });
  });
}

/** Whether something already listens on 127.0.0.1:port. */
export function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

/** Small JSON client for the local API. */
export function apiCall<T>(
  url: string,
  key: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  return requestJson<T>({ url, key }, path, init);
}
