import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, portTaken, startDevServer } from '../../scripts/lib/local-worker.ts';

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
