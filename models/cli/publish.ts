/**
 * `npm run publish -- --bundle DIR [--activate | --experiment NAME …]`: puts a trained bundle in front
 * of listeners through the admin API of a running Backbeat.
 *
 *   --bundle DIR            upload the bundle folder the trainer wrote (skip to act on an uploaded version)
 *   --version V             the uploaded version to act on (default: the bundle's)
 *   --activate              switch all traffic to it
 *   --experiment NAME       or start an experiment: the active model (arm `control`) against it (arm `candidate`)
 *     --share X             the candidate's share of listeners (split, default 0.5)
 *     --interleave          team-draft interleaving instead of a split
 *     --baseline popular    the candidate arm ranks by popularity (same model) instead: is the model worth it?
 *   --url URL               default http://127.0.0.1:8787 or $BACKBEAT_URL
 *   --key ADMIN_KEY         default $BACKBEAT_ADMIN_KEY, else ADMIN_TOKEN from .dev.vars (the local dev key)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MANIFEST_FILE } from '../../contract/bundle-manifest.ts';
import { type ArmSpec, activate, activeVersion, PublishError, startExperiment, type Target, uploadBundle } from '../publish/client.ts';

const ROOT = join(import.meta.dirname, '../..');

function usage(message: string): never {
  console.error(`publish: ${message}\nSee the header of models/cli/publish.ts for the flags.`);
  process.exit(2);
}

function localAdminKey(): string | undefined {
  const file = join(ROOT, '.dev.vars');
  if (!existsSync(file)) return undefined;
  return /^ADMIN_TOKEN[ \t]*=[ \t]*"?([^"\n]+)"?[ \t]*$/m.exec(readFileSync(file, 'utf8'))?.[1];
}

const { values: a } = parseArgs({
  options: {
    bundle: { type: 'string' },
    version: { type: 'string' },
    activate: { type: 'boolean', default: false },
    experiment: { type: 'string' },
    share: { type: 'string', default: '0.5' },
    interleave: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    url: { type: 'string', default: process.env.BACKBEAT_URL ?? 'http://127.0.0.1:8787' },
    key: { type: 'string', default: process.env.BACKBEAT_ADMIN_KEY },
  },
});

const key = a.key ?? localAdminKey();
if (!key) usage('no admin key: pass --key or set BACKBEAT_ADMIN_KEY');
if (!a.bundle && !a.version) usage('--bundle DIR or --version V is required');
if (a.bundle && !existsSync(join(a.bundle, MANIFEST_FILE))) usage(`--bundle: ${join(a.bundle, MANIFEST_FILE)} does not exist`);
if (a.activate && a.experiment) usage('--activate and --experiment exclude each other');
const share = Number(a.share);
if (!(share > 0 && share < 1)) usage('--share must be between 0 and 1');
if (a.baseline !== undefined && a.baseline !== 'popular') usage('--baseline takes `popular`');
const target: Target = { url: a.url.replace(/\/$/, ''), key };

try {
  let version = a.version;
  if (a.bundle) {
    process.stdout.write(`uploading ${a.bundle} to ${target.url} … `);
    version = await uploadBundle(target, a.bundle);
    console.log(`version ${version}`);
  }
  if (!version) throw new Error('no version');
  if (a.activate) {
    await activate(target, version);
    console.log(`activated ${version}: every isolate serves it within 30 s`);
  } else if (a.experiment) {
    const control = await activeVersion(target);
    if (!control && !a.baseline) throw new Error('no model is active: --activate one first, then experiment against it');
    const candidate: ArmSpec =
      a.baseline === 'popular'
        ? { name: 'popular', model_version: version, settings: { ranker: 'popular' } }
        : { name: 'candidate', model_version: version };
    const arms: ArmSpec[] = [{ name: 'control', model_version: a.baseline ? version : (control as string) }, candidate];
    if (!a.interleave) {
      (arms[0] as ArmSpec).share = 1 - share;
      candidate.share = share;
    }
    const e = await startExperiment(target, a.experiment, arms, a.interleave ? 'interleave' : 'split');
    console.log(
      `started ${e.mode} experiment ${e.id}: ${e.arms.map((x) => `${x.name}=${x.model_version}${e.mode === 'split' ? ` (${Math.round(x.share * 100)} %)` : ''}`).join(', ')}`,
    );
    console.log(`report: GET ${target.url}/v1/admin/experiments/${e.id}/report, or the dashboard's Experiments page`);
  } else {
    console.log('uploaded only: pass --activate or --experiment NAME to serve it');
  }
} catch (err) {
  if (err instanceof PublishError) console.error(`publish: ${err.message}`);
  else console.error(`publish: ${(err as Error).message}`);
  process.exit(1);
}
