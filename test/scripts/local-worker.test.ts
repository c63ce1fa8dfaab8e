import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminToken, freePort, portTaken, startDevServer } from '../../scripts/lib/local-worker.ts';

// A leftover server on the port must stop `npm start` with a clear error, not be mistaken for the
// new wrangler dev answering its health check.
describe('starting wrangler dev on a port that is taken', () => {
  let port = 0;
  let squatter: Server;
  beforeAll(async () => {
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const address = squatter.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

  it('Should tell a taken port from a free one', async () => {
    expect(await portTaken(port)).toBe(true);
    expect(await portTaken(await freePort())).toBe(false);
  });

  it('Should refuse to start and name the port', async () => {
    await expect(startDevServer({ port })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
  }, 15_000);
});

// The admin token line of .dev.vars is copied by people following README's tour: it must be the key
// exactly as it is sent, with no quotes around it.
describe('the local admin token', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backbeat-devvars-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Should write a new token unquoted and read it back unchanged', () => {
    const file = join(dir, 'new.dev.vars');
    const token = ensureAdminToken(file);
    expect(readFileSync(file, 'utf8')).toBe(`ADMIN_TOKEN=${token}\n`);
    expect(ensureAdminToken(file)).toBe(token);
  });

  it('Should rewrite a quoted token without its quotes, keeping the other lines', () => {
    const file = join(dir, 'old.dev.vars');
    writeFileSync(file, 'OTHER=1\nADMIN_TOKEN="local-admin-abc"\n');
    expect(ensureAdminToken(file)).toBe('local-admin-abc');
    expect(readFileSync(file, 'utf8')).toBe('OTHER=1\nADMIN_TOKEN=local-admin-abc\n');
  });
});
