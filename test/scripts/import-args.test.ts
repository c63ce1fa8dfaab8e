/**
 * `npm run import` flags (scripts/imports/args.ts): the dataset flags keep working, a listener's own
 * history needs --user, and every bad command line gives one line (exit 2 in the CLI) instead of a throw.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImportArgs } from '../../scripts/imports/args.ts';
import { ROOT } from '../../scripts/lib/local-worker.ts';

const message = (argv: string[]) => {
  const r = parseImportArgs(argv);
  return r.ok ? null : r.message;
};

describe('npm run import flags', () => {
  it('Should keep the dataset flags with their defaults', () => {
    expect(parseImportArgs(['--hetrec', 'dir'])).toEqual({
      ok: true,
      args: { kind: 'dataset', dataset: 'hetrec', path: 'dir', listeners: 0, keepDates: false, maxPlays: 20 },
    });
    expect(parseImportArgs(['--spotify-songs', 's.csv', '--listeners', '300', '--url', 'http://h:1', '--key', 'k'])).toMatchObject({
      ok: true,
      args: { dataset: 'spotify-songs', listeners: 300, url: 'http://h:1', key: 'k' },
    });
  });

  it('Should take several Spotify history files after one flag, and one file for the other exports', () => {
    expect(parseImportArgs(['--spotify-history', 'a.json', 'b.json', '--user', 'u-1', '--spotify-history', 'c.json'])).toMatchObject({
      ok: true,
      args: { kind: 'history', format: 'spotify', files: ['a.json', 'c.json', 'b.json'], userId: 'u-1' },
    });
    expect(parseImportArgs(['--apple-play-activity', 'p.csv', '--user', 'u-1'])).toMatchObject({
      ok: true,
      args: { format: 'apple_music' },
    });
    expect(parseImportArgs(['--youtube-takeout', 'w.json', '--user', 'u-1'])).toMatchObject({
      ok: true,
      args: { format: 'youtube_music' },
    });
  });

  it.each([
    [[], /name what to import/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--hetrec', 'd', '--spotify-history', 'a.json', '--user', 'u'], /one kind of file at a time/],
    [['--spotify-history', 'a.json'], /needs --user ID/],
    [['--youtube-takeout', 'a.json', 'b.json', '--user', 'u'], /takes one file, got 2/],
    [['--lastfm-scrobbles', 'a.csv', '--user', 'has space'], /is not a valid id/],
    [['--lastfm-scrobbles', 'a.csv', '--user', 'u', '--listeners', '5'], /--listeners goes with a dataset/],
    [['--hetrec', 'd', '--user', 'u'], /--user is for a listener's own history/],
    [['--lastfm1k', 'f', '--listeners', '5'], /--listeners goes with --spotify-songs/],
    [['--spotify-songs', 'f', '--listeners', 'many'], /--listeners must be a whole number/],
    [['--spotify-history', 'a.json', '--user', 'u', '--url', 'localhost:8787'], /--url must be an http\(s\) URL/],
    [['--spotify-history', 'a.json', '--user', 'u', '--piece-bytes', '5000000'], /--piece-bytes must be between/],
    [['--apple-play-activity', '--user', 'u'], /needs a file path|argument missing|Option '--apple-play-activity/],
  ])('Should refuse %j with one line', (argv, expected) => {
    const m = message(argv);
    expect(m).toMatch(expected);
    expect(m).not.toContain('\n');
  });

  it('Should exit 2 with one line on a bad flag, and 1 with one line when no instance answers', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'scripts/demo/import.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const bad = run(['--spotify-history', 'x.json']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const missing = run(['--spotify-history', join(ROOT, 'no-such-file.json'), '--user', 'u-1', '--key', 'k']);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toMatch(/no such file/);
    const unreachable = run([
      '--spotify-history',
      join(ROOT, 'package.json'),
      '--user',
      'u-1',
      '--url',
      'http://127.0.0.1:9',
      '--key',
      'k',
    ]);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr.trim().split('\n')).toEqual([expect.stringContaining('No Backbeat answers at http://127.0.0.1:9')]);
  });
});
