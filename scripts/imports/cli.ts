/**
 * `npm run import -- --spotify-history FILES… | --youtube-takeout FILE | --lastfm-scrobbles FILE |
 * --apple-play-activity FILE --user ID [--url URL --key KEY]`: a listener's own history into a running
 * Backbeat (scripts/demo/import.ts parses the flags and calls this). Exit codes: 0 imported, 1 the
 * instance is unreachable or refused a piece, 2 a bad file argument.
 */
import { existsSync, statSync } from 'node:fs';
import type { ImportArgs } from './args.ts';
import { describeHistoryImport, describeProgress, type HistoryFile, ImportFailed, importHistory, sniffFormat } from './history-import.ts';

type HistoryArgs = Extract<ImportArgs, { kind: 'history' }>;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Whether a Backbeat answers at `url`. */
export async function reachable(url: string): Promise<boolean> {
  return fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) }).then(
    (r) => r.ok,
    () => false,
  );
}

export async function runHistoryImport(a: HistoryArgs & { url: string; key: string }, io: CliIo = consoleIo): Promise<number> {
  for (const f of a.files) {
    if (!existsSync(f) || !statSync(f).isFile()) {
      io.err(`--${a.flag}: no such file: ${f}`);
      return 2;
    }
  }
  if (!(await reachable(a.url))) {
    io.err(`No Backbeat answers at ${a.url}: start it first (npm start), or pass --url URL --key KEY.`);
    return 1;
  }
  const files: HistoryFile[] = [];
  for (const path of a.files) files.push({ path, format: a.flag === 'lastfm-scrobbles' ? await sniffFormat(path, a.format) : a.format });
  io.out(`• importing ${files.length} file${files.length === 1 ? '' : 's'} for ${a.userId} into ${a.url} …`);
  let last = 0;
  try {
    const totals = await importHistory({
      url: a.url,
      key: a.key,
      userId: a.userId,
      files,
      ...(a.pieceBytes === undefined ? {} : { maxBytes: a.pieceBytes }),
      onProgress: (p) => {
        // A line a second at most (a piece takes well under that on a fast instance).
        if (performance.now() - last < 1000) return;
        last = performance.now();
        io.out(describeProgress(p));
      },
    });
    io.out(describeHistoryImport(totals));
    return 0;
  } catch (err) {
    if (err instanceof ImportFailed) {
      io.err(`import stopped: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
