/**
 * `npm start`: the whole product locally. Applies migrations to the local D1, then serves the API and
 * dashboard with wrangler dev on http://localhost:8787 and prints the admin key.
 */
import { applyLocalMigrations, ensureAdminToken, ensureAssetsDir, startDevServer } from './lib/local-worker.ts';

const adminToken = ensureAdminToken();
console.log('• applying migrations to local D1 …');
applyLocalMigrations();
ensureAssetsDir();
console.log('• starting wrangler dev …');
const server = await startDevServer({ inheritOutput: false });
console.log(`
Backbeat is running.
  API        ${server.url}/v1   (reference: ${server.url}/docs)
  Dashboard  ${server.url}/
  Admin key  ${adminToken}

Press Ctrl+C to stop.`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.process.on('exit', (code) => {
  console.error(`wrangler dev exited (${code})`);
  process.exit(code ?? 1);
});
