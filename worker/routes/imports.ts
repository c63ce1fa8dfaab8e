import { createRoute } from '@hono/zod-openapi';
import { allow } from '../auth/scope.ts';
import { createDb } from '../db/client.ts';
import { insertEvents } from '../db/events.ts';
import { catalogueForMatching, insertUnmatched, type UnmatchedListen } from '../db/imports.ts';
import { ApiError } from '../errors.ts';
import {
  createMatcher,
  detectFormat,
  emptyTally,
  FORMAT_PLATFORM,
  FORMATS,
  type Format,
  MatchReport,
  type RecordError,
  readExport,
  tally,
  toEvents,
} from '../imports/index.ts';
import { pokeRollups } from '../rollups/applier.ts';
import { errorResponse } from '../schemas/error.ts';
import { type EventInput, EventSchema, MAX_EVENTS_PER_BATCH } from '../schemas/event.ts';
import { IMPORT_FORMATS, ImportParams, ImportQuerySchema, ImportResultSchema } from '../schemas/imports.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const imports = newRouter();

const KEPT_ERRORS = 20;

// The wire's list of formats is the readers' list (each assignable to the other).
IMPORT_FORMATS satisfies readonly Format[];
FORMATS satisfies readonly (typeof IMPORT_FORMATS)[number][];

imports.openapi(
  createRoute({
    ...allow('app', 'admin'),
    method: 'post',
    path: '/{userId}/imports',
    operationId: 'importHistory',
    tags: ['Events'],
    summary: "Import a listener's history exported from another service",
    description:
      'The body is one export file as the service wrote it (up to 1 MB: send a long history file by file, or split a big one at record boundaries): Spotify (StreamingHistory*.json, extended endsong/Streaming_History_Audio*.json), Apple Music (Play Activity CSV), YouTube Music (Takeout watch-history.json) or Last.fm (scrobble CSV or JSON). ' +
      'Each listen is matched to the catalogue (exact title and artist after normalisation, then fuzzy) and becomes play events with deterministic ids, so sending a file again adds nothing. ' +
      'Listens of tracks not in the catalogue are kept aside per listener (they are not events: an event names a catalogue track). Records that cannot be read are counted and the first 20 named by file and record.',
    security: bearerAuth,
    request: {
      params: ImportParams,
      query: ImportQuerySchema,
      body: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
    },
    responses: {
      200: { description: 'Imported', content: { 'application/json': { schema: ImportResultSchema } } },
      400: errorResponse('The format is unknown or the file unreadable (details name the field)'),
      403: errorResponse('Only app and admin keys import'),
      413: errorResponse('The body exceeds 1 MB'),
    },
  }),
  async (c) => {
    const { userId } = c.req.valid('param');
    const q = c.req.valid('query');
    const text = await c.req.text();
    if (text.trim() === '')
      throw new ApiError(400, 'empty_file', 'The body is empty: send the export file', {
        issues: [{ path: 'body', code: 'empty_file', message: 'empty' }],
      });
    const format = q.format ?? detectFormat(text.slice(0, 4096), q.file ?? '');
    if (!format)
      throw new ApiError(400, 'unknown_format', 'The export format could not be recognised: pass ?format=', {
        issues: [{ path: 'query.format', code: 'unknown_format', message: 'not detected from the file; name it' }],
      });
    const platform = FORMAT_PLATFORM[format];
    const db = createDb(c.env.DB);
    const now = Date.now();
    const matcher = createMatcher(await catalogueForMatching(db));
    const report = new MatchReport();
    let counts = emptyTally();
    const errors: RecordError[] = [];
    const events: EventInput[] = [];
    const unmatched: UnmatchedListen[] = [];
    for await (const item of readExport(format, [text], q.file ? { file: q.file } : {})) {
      counts = tally(counts, item);
      if (item.kind === 'error' && errors.length < KEPT_ERRORS) errors.push(item.error);
      if (item.kind !== 'listen') continue;
      const l = item.listen;
      const match = matcher.match(l);
      const evs = await toEvents(l, userId, match?.track_id ?? null);
      // An event the API stores must pass the API's own rules (a timestamp before 2000 or in the future does not).
      const valid = evs.flatMap((e) => {
        const parsed = EventSchema.safeParse({
          event_id: e.event_id,
          user_id: e.user_id,
          track_id: e.track_id ?? 'unmatched',
          type: e.type,
          ts: e.ts,
          ...(e.ms_played === undefined ? {} : { ms_played: e.ms_played }),
          context: { source: 'other', device: `import:${platform}` },
        });
        return parsed.success ? [parsed.data] : [];
      });
      if (valid.length < evs.length) {
        if (errors.length < KEPT_ERRORS)
          errors.push({
            ...(l.file ? { file: l.file } : {}),
            index: l.index,
            field: 'ts',
            code: 'out_of_range',
            message: 'the listen lies before 2000 or in the future',
          });
        continue;
      }
      report.add(l, match);
      if (match) events.push(...valid);
      else {
        const last = valid.at(-1) as EventInput;
        unmatched.push({
          eventId: last.event_id,
          userId,
          platform,
          trackName: l.track_name,
          artistName: l.artist_name,
          isrc: l.isrc ?? null,
          platformTrackId: l.platform_track_id ?? null,
          ts: l.ts,
          msPlayed: l.ms_played ?? null,
        });
      }
    }
    let stored = 0;
    for (let i = 0; i < events.length; i += MAX_EVENTS_PER_BATCH)
      stored += (await insertEvents(db, events.slice(i, i + MAX_EVENTS_PER_BATCH), now)).stored;
    for (let i = 0; i < unmatched.length; i += 500) await insertUnmatched(db, unmatched.slice(i, i + 500), now);
    if (stored > 0) c.executionCtx.waitUntil(pokeRollups(c.env));
    const summary = report.summary(20);
    return c.json(
      {
        user_id: userId,
        format,
        platform,
        records: { listens: counts.listens, skipped: counts.skipped, errors: counts.errors },
        matched: summary.matched,
        by_method: summary.by_method,
        unmatched_listens: summary.unmatched_listens,
        events: { stored, duplicates: events.length - stored },
        unmatched: summary.unmatched,
        errors,
      },
      200,
    );
  },
);
