/**
 * `npm run reset`: forget the local demo (local D1 and R2 under .wrangler/state, the trained bundle and
 * .data/demo.json) so the next `npm start` builds everything again. Asks first unless --yes.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_PORT, ROOT, RUNNING_FILE } from './lib/local-worker.ts';

const { values } = parseArgs({ options: { yes: { type: 'boolean', short: 'y', default: false } } });
const targets = ['.wrangler/state', '.data/demo.json', '.data/model', '.data/train.log', '.data/simulate.log']
  .map((p) => join(ROOT, p))
  .filter(existsSync);

// Deleting the database under a running Worker would leave it serving from a half-deleted state.
// `npm start` notes its pid and URL in RUNNING_FILE (any --port); the default port is checked too,
// for an instance started some other way.
function runningStart(): { pid: number; url: string } | null {
  try {
    const r = JSON.parse(readFileSync(RUNNING_FILE, 'utf8')) as { pid: number; url: string };
    process.kill(r.pid, 0); // throws when no such process: a start that was killed left the file
    return r;
  } catch {
    return null;
  }
}
const started = runningStart();
const onDefaultPort = await fetch(`http://127.0.0.1:${DEFAULT_PORT}/healthz`).then(
  (r) => r.ok,
  () => false,
);
if (started || onDefaultPort) {
  const where = started ? `at ${started.url} (npm start, pid ${started.pid})` : `on port ${DEFAULT_PORT}`;
  console.error(`Backbeat is running ${where}: stop it (Ctrl+C) first, then reset.`);
  process.exit(1);
}
if (targets.length === 0) {
  console.log('Nothing to reset: no local demo state.');
  process.exit(0);
}
console.log(`This deletes the local demo (its data, model and keys):\n${targets.map((t) => `  ${t}`).join('\n')}`);
if (!values.yes) {
  if (!process.stdin.isTTY) {
    console.error('Not deleting without confirmation: run `npm run reset -- --yes`.');
    process.exit(1);
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question('Delete? [y/N] ');
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) {
    console.log('Kept everything.');
    process.exit(0);
  }
}
for (const t of targets) rmSync(t, { recursive: true, force: true });
console.log('Done. The next `npm start` builds a fresh demo.');
