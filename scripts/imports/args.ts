/**
 * The flags of `npm run import`: a public dataset (--hetrec, --lastfm1k, --spotify-songs) or a
 * listener's own export (--spotify-history, --youtube-takeout, --lastfm-scrobbles,
 * --apple-play-activity with --user). Pure: a bad command line gives one message, never a throw.
 */
import { parseArgs } from 'node:util';
import type { Format } from '../../worker/imports/index.ts';
import { ID_PATTERN } from '../../worker/schemas/event.ts';

export const USAGE =
  'usage: npm run import -- (--hetrec DIR | --lastfm1k FILE | --spotify-songs FILE [--listeners N]' +
  ' | --spotify-history FILES… | --youtube-takeout FILE | --lastfm-scrobbles FILE | --apple-play-activity FILE) [--user ID] [--url URL] [--key KEY]';

export const HISTORY_FLAGS = {
  'spotify-history': 'spotify',
  'youtube-takeout': 'youtube_music',
  // CSV or JSON: told apart by the file's first bytes.
  'lastfm-scrobbles': 'lastfm_csv',
  'apple-play-activity': 'apple_music',
} as const satisfies Record<string, Format>;
export type HistoryFlag = keyof typeof HISTORY_FLAGS;

const DATASET_FLAGS = ['hetrec', 'lastfm1k', 'spotify-songs'] as const;
type DatasetFlag = (typeof DATASET_FLAGS)[number];

export type ImportArgs =
  | {
      kind: 'dataset';
      dataset: DatasetFlag;
      path: string;
      url?: string;
      key?: string;
      listeners: number;
      keepDates: boolean;
      maxPlays: number;
    }
  | {
      kind: 'history';
      flag: HistoryFlag;
      /** The format the flag names (Last.fm: CSV unless the file's first bytes say JSON). */
      format: Format;
      files: string[];
      userId: string;
      url?: string;
      key?: string;
      /** Largest piece sent in one request (bytes). */
      pieceBytes?: number;
    };

export type ParsedImportArgs = { ok: true; args: ImportArgs } | { ok: false; message: string };

const fail = (message: string): ParsedImportArgs => ({ ok: false, message });

function positiveInt(name: string, v: string | undefined, fallback: number): number | string {
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : `--${name} must be a whole number, got "${v}"`;
}

export function parseImportArgs(argv: string[]): ParsedImportArgs {
  const parse = () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        hetrec: { type: 'string' },
        lastfm1k: { type: 'string' },
        'spotify-songs': { type: 'string' },
        'spotify-history': { type: 'string', multiple: true },
        'youtube-takeout': { type: 'string' },
        'lastfm-scrobbles': { type: 'string' },
        'apple-play-activity': { type: 'string' },
        user: { type: 'string' },
        url: { type: 'string' },
        key: { type: 'string' },
        listeners: { type: 'string' },
        'keep-dates': { type: 'boolean' },
        'max-plays': { type: 'string' },
        'piece-bytes': { type: 'string' },
      },
    });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (err) {
    // node:util's messages ("Unknown option '--foo'. …", "Option '--x <value>' argument missing"): the first sentence.
    const first = ((err as Error).message.split('\n')[0] ?? '').split('. ')[0]?.replace(/\.$/, '');
    return fail(`${first}. ${USAGE}`);
  }
  const { values: a, positionals } = parsed;
  const datasets = DATASET_FLAGS.filter((f) => a[f] !== undefined);
  const histories = (Object.keys(HISTORY_FLAGS) as HistoryFlag[]).filter((f) => a[f] !== undefined);
  const chosen = [...datasets, ...histories];
  if (chosen.length === 0) return fail(`name what to import. ${USAGE}`);
  if (chosen.length > 1) return fail(`import one kind of file at a time, got ${chosen.map((f) => `--${f}`).join(' and ')}`);
  if (a.url !== undefined && !/^https?:\/\/[^\s/]+/.test(a.url)) return fail(`--url must be an http(s) URL, got "${a.url}"`);

  if (datasets.length === 1) {
    const dataset = datasets[0] as DatasetFlag;
    if (positionals.length > 0) return fail(`unexpected argument "${positionals[0]}" (--${dataset} takes one path)`);
    if (a.user !== undefined) return fail(`--user is for a listener's own history, not --${dataset}`);
    if (a['piece-bytes'] !== undefined) return fail(`--piece-bytes is for a listener's own history, not --${dataset}`);
    if (a.listeners !== undefined && dataset !== 'spotify-songs') return fail('--listeners goes with --spotify-songs');
    if (a['keep-dates'] !== undefined && dataset !== 'lastfm1k') return fail('--keep-dates goes with --lastfm1k');
    if (a['max-plays'] !== undefined && dataset !== 'hetrec') return fail('--max-plays goes with --hetrec');
    const listeners = positiveInt('listeners', a.listeners, 0);
    if (typeof listeners === 'string') return fail(listeners);
    const maxPlays = positiveInt('max-plays', a['max-plays'], 20);
    if (typeof maxPlays === 'string') return fail(maxPlays);
    return {
      ok: true,
      args: {
        kind: 'dataset',
        dataset,
        path: a[dataset] as string,
        ...(a.url === undefined ? {} : { url: a.url }),
        ...(a.key === undefined ? {} : { key: a.key }),
        listeners,
        keepDates: a['keep-dates'] === true,
        maxPlays,
      },
    };
  }

  const flag = histories[0] as HistoryFlag;
  for (const f of ['listeners', 'keep-dates', 'max-plays'] as const)
    if (a[f] !== undefined) return fail(`--${f} goes with a dataset, not --${flag}`);
  const given = a[flag];
  const files = [...(Array.isArray(given) ? given : [given as string]), ...positionals];
  if (flag !== 'spotify-history' && files.length > 1)
    return fail(`--${flag} takes one file, got ${files.length} (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''})`);
  if (files.some((f) => f.trim() === '')) return fail(`--${flag} needs a file path`);
  if (a.user === undefined) return fail(`--${flag} needs --user ID: the listener whose history it is`);
  if (!ID_PATTERN.test(a.user) || a.user === '.' || a.user === '..')
    return fail(`--user "${a.user}" is not a valid id (1–128 of A–Z a–z 0–9 . _ : @ + = ~ -)`);
  const pieceBytes = positiveInt('piece-bytes', a['piece-bytes'], 0);
  if (typeof pieceBytes === 'string') return fail(pieceBytes);
  if (a['piece-bytes'] !== undefined && (pieceBytes < 1024 || pieceBytes > 1_048_576))
    return fail('--piece-bytes must be between 1024 and 1048576 (the route takes 1 MB a request)');
  return {
    ok: true,
    args: {
      kind: 'history',
      flag,
      format: HISTORY_FLAGS[flag],
      files,
      userId: a.user,
      ...(a.url === undefined ? {} : { url: a.url }),
      ...(a.key === undefined ? {} : { key: a.key }),
      ...(a['piece-bytes'] === undefined ? {} : { pieceBytes }),
    },
  };
}
