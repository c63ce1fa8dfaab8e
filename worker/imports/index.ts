/**
 * Importing a listener's own history: readers for the services' exports, listens to ingest events,
 * and matching tracks to the catalogue. Pure (no I/O): the `POST /v1/users/:id/imports` route and
 * the Node CLI feed it chunks and send the events on.
 *
 * @example
 * const format = detectFormat(firstChunk, fileName);
 * const matcher = createMatcher(catalogueRows);
 * const report = new MatchReport();
 * for await (const item of readExport(format, chunks, { file: fileName })) {
 *   if (item.kind !== 'listen') continue; // errors to the report, skips counted with tally()
 *   const m = matcher.match(item.listen);
 *   report.add(item.listen, m);
 *   events.push(...(await toEvents(item.listen, userId, m?.track_id ?? null)));
 * }
 */
export { readAppleMusic } from './apple.ts';
export { detectFormat, emptyTally, FORMAT_PLATFORM, FORMATS, type Format, type ReadTally, readExport, tally } from './detect.ts';
export { type ImportEvent, type ImportEventType, importEventId, isSkip, sourceTrackKey, type ToEventsOptions, toEvents } from './events.ts';
export { readLastfmCsv, readLastfmJson } from './lastfm.ts';
export {
  type CatalogueRow,
  createMatcher,
  FUZZY_ARTIST_MIN,
  FUZZY_TITLE_MIN,
  type Match,
  type MatchQuery,
  MatchReport,
  type MatchSummary,
  TrackMatcher,
  type UnmatchedTrack,
} from './match.ts';
export { artistKey, artistsCompatible, fold, titleKey } from './normalise.ts';
export { readSpotify } from './spotify.ts';
export { csvRecords, parseTimestamp, textChunks } from './text.ts';
export * from './types.ts';
export { readYouTubeMusic } from './youtube.ts';
