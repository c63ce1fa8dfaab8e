/**
 * `npm start` on a taken port (issue 28, item 5): one line at once, before any slow step, with the
 * command that works; never a stack trace after half a minute of migrations and builds.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../../scripts/lib/local-worker.ts';

let server: Server;
let port: number;

beforeAll(async () => {
  port = await freePort();
  server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const start = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'scripts/start.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('npm start on a taken port', () => {
  it('Should stop with one line naming the port and the command that works, before any slow step', () => {
    const run = start('--port', String(port));
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([expect.stringContaining(`port ${port} on 127.0.0.1 is already in use`)]);
    expect(lines[0]).toContain(`npm start -- --port ${port + 1}`);
    expect(run.stdout).not.toContain('migrations');
  });

  it('Should refuse a port that is not a number, in one line', () => {
    const run = start('--port', 'http');
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('npm start: --port must be a port number, not http');
  });
});
