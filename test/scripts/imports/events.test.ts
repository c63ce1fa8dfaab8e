import { describe, expect, it } from 'vitest';
import { readExport } from '../../../worker/imports/detect.ts';
import { type ImportEvent, isSkip, toEvents } from '../../../worker/imports/events.ts';
import type { Listen } from '../../../worker/imports/types.ts';
import { EventSchema, ID_PATTERN } from '../../../worker/schemas/event.ts';
import { APPLE_CSV, LASTFM_JSON, SPOTIFY, YOUTUBE } from './exports.ts';

const listen = (over: Partial<Listen>): Listen => ({
  platform: 'spotify',
  index: 0,
  ts: Date.UTC(2024, 0, 1),
  ms_played: 200_000,
  track_name: 'Song',
  artist_name: 'Band',
  ...over,
});

async function importEvents(format: Parameters<typeof readExport>[0], text: string, user = 'u-1') {
  const events: ImportEvent[] = [];
  for await (const it of readExport(format, [text])) {
    if (it.kind === 'listen') events.push(...(await toEvents(it.listen, user, 't-1')));
  }
  return events;
}

describe('Listens to events', () => {
  it('Should give a play_start and a play_end with ms_played, each carrying the platform', async () => {
    const l = listen({});
    const events = await toEvents(l, 'u-42', 't-7');
    expect(events).toEqual([
      {
        event_id: expect.stringMatching(/^imp-[0-9a-f]{40}$/),
        user_id: 'u-42',
        track_id: 't-7',
        type: 'play_start',
        ts: l.ts,
        platform: 'spotify',
      },
      {
        event_id: expect.stringMatching(/^imp-[0-9a-f]{40}$/),
        user_id: 'u-42',
        track_id: 't-7',
        type: 'play_end',
        ts: l.ts + 200_000,
        ms_played: 200_000,
        platform: 'spotify',
      },
    ]);
    expect(events[0]!.event_id).not.toBe(events[1]!.event_id);
  });

  it('Should make events the ingest API accepts once the platform is taken off', async () => {
    for (const [format, text] of [
      ['spotify', SPOTIFY],
      ['apple_music', APPLE_CSV],
      ['lastfm_json', LASTFM_JSON],
      ['youtube_music', YOUTUBE],
    ] as const) {
      for (const e of await importEvents(format, text)) {
        const { platform, ...wire } = e;
        expect(platform).toBeTruthy();
        expect(ID_PATTERN.test(e.event_id)).toBe(true);
        expect(EventSchema.safeParse(wire).error).toBeUndefined();
      }
    }
  });

  it('Should derive the same event ids when the same file is imported twice', async () => {
    const first = await importEvents('spotify', SPOTIFY);
    const second = await importEvents('spotify', SPOTIFY);
    expect(first.length).toBeGreaterThan(0);
    expect(second.map((e) => e.event_id)).toEqual(first.map((e) => e.event_id));
    expect(new Set(first.map((e) => e.event_id)).size).toBe(first.length);
  });

  it('Should keep ids when the record moves in the file or the matcher finds another track, and change them per user', async () => {
    const l = listen({});
    const [a] = await toEvents(l, 'u-1', 't-1');
    const [b] = await toEvents({ ...l, index: 99, file: 'other.json' }, 'u-1', null);
    const [c] = await toEvents(l, 'u-2', 't-1');
    const [d] = await toEvents({ ...l, ts: l.ts + 1 }, 'u-1', 't-1');
    expect(b!.event_id).toBe(a!.event_id);
    expect(c!.event_id).not.toBe(a!.event_id);
    expect(d!.event_id).not.toBe(a!.event_id);
  });

  it('Should keep unmatched listens with a null track_id', async () => {
    const events = await toEvents(listen({}), 'u-1', null);
    expect(events.map((e) => e.track_id)).toEqual([null, null]);
  });

  it('Should give Last.fm scrobbles 30 s and YouTube Music a play_start only, unless told otherwise', async () => {
    const fm = await toEvents(listen({ platform: 'lastfm', ms_played: undefined }), 'u-1', null);
    expect(fm.map((e) => [e.type, e.ms_played])).toEqual([
      ['play_start', undefined],
      ['play_end', 30_000],
    ]);
    const yt = await toEvents(listen({ platform: 'youtube_music', ms_played: undefined }), 'u-1', null);
    expect(yt.map((e) => e.type)).toEqual(['play_start']);
    const yt2 = await toEvents(listen({ platform: 'youtube_music', ms_played: undefined }), 'u-1', null, {
      assumedMsPlayed: { youtube_music: 60_000 },
    });
    expect(yt2.map((e) => [e.type, e.ms_played])).toEqual([
      ['play_start', undefined],
      ['play_end', 60_000],
    ]);
  });
});

describe('Skip rules', () => {
  it('Should take a Spotify skip from skipped, or from the forward button before 30 s', () => {
    expect(isSkip(listen({ skipped: true, ms_played: 150_000 }))).toBe(true);
    expect(isSkip(listen({ reason_end: 'fwdbtn', ms_played: 12_000 }))).toBe(true);
    expect(isSkip(listen({ reason_end: 'fwdbtn', ms_played: 45_000 }))).toBe(false);
    expect(isSkip(listen({ skipped: false, reason_end: 'trackdone' }))).toBe(false);
    expect(isSkip(listen({ reason_end: 'endplay', ms_played: 5_000 }))).toBe(false);
  });

  it('Should take an Apple Music skip from the end reason', () => {
    const apple = (reason_end: string, ms_played = 100_000) => listen({ platform: 'apple_music', reason_end, ms_played });
    expect(isSkip(apple('TRACK_SKIPPED_FORWARDS'))).toBe(true);
    expect(isSkip(apple('TRACK_SKIPPED_BACKWARDS'))).toBe(true);
    expect(isSkip(apple('SCRUBBED_TO_END'))).toBe(true);
    expect(isSkip(apple('MANUALLY_SELECTED_PLAYBACK_OF_A_DIFF_ITEM', 10_000))).toBe(true);
    expect(isSkip(apple('MANUALLY_SELECTED_PLAYBACK_OF_A_DIFF_ITEM', 60_000))).toBe(false);
    expect(isSkip(apple('NATURAL_END_OF_TRACK'))).toBe(false);
    expect(isSkip(apple('PLAYBACK_MANUALLY_PAUSED', 5_000))).toBe(false);
  });

  it('Should never call a Last.fm or YouTube Music listen a skip', () => {
    expect(isSkip(listen({ platform: 'lastfm', ms_played: undefined, reason_end: 'fwdbtn' }))).toBe(false);
    expect(isSkip(listen({ platform: 'youtube_music', ms_played: 1000 }))).toBe(false);
  });

  it('Should emit skip events for the skipped records of the Spotify and Apple fixtures', async () => {
    const spotify = await importEvents('spotify', SPOTIFY);
    expect(spotify.filter((e) => e.type !== 'play_start').map((e) => [e.type, e.ms_played])).toEqual([
      ['play_end', 210_000],
      ['skip', 12_000],
      ['skip', 95_000],
    ]);
    const apple = await importEvents('apple_music', APPLE_CSV);
    expect(apple.filter((e) => e.type !== 'play_start').map((e) => [e.type, e.ms_played])).toEqual([
      ['play_end', 255_000],
      ['skip', 8_000],
      ['skip', 120_000],
    ]);
  });
});
