/** Synthetic exports in each service's format (made-up listens, no personal data). */

export const SPOTIFY = JSON.stringify([
  {
    ts: '2024-03-01T10:03:30Z',
    platform: 'android',
    ms_played: 210_000,
    conn_country: 'ZZ',
    master_metadata_track_name: 'Here Comes the Sun - Remastered 2009',
    master_metadata_album_artist_name: 'The Beatles',
    master_metadata_album_album_name: 'Abbey Road',
    spotify_track_uri: 'spotify:track:0000000000000000000001',
    episode_name: null,
    episode_show_name: null,
    spotify_episode_uri: null,
    reason_start: 'trackdone',
    reason_end: 'trackdone',
    shuffle: false,
    skipped: false,
    offline: false,
    incognito_mode: false,
  },
  {
    ts: '2024-03-01T10:03:42Z',
    ms_played: 12_000,
    master_metadata_track_name: '夜に駆ける',
    master_metadata_album_artist_name: 'YOASOBI',
    master_metadata_album_album_name: 'THE BOOK',
    spotify_track_uri: 'spotify:track:0000000000000000000002',
    reason_start: 'trackdone',
    reason_end: 'fwdbtn',
    shuffle: true,
    skipped: null,
  },
  {
    ts: '2024-03-01T11:00:00Z',
    ms_played: 1_800_000,
    master_metadata_track_name: null,
    master_metadata_album_artist_name: null,
    master_metadata_album_album_name: null,
    spotify_track_uri: null,
    episode_name: 'Episode 12',
    episode_show_name: 'A Show',
    spotify_episode_uri: 'spotify:episode:0000000000000000000003',
    reason_start: 'clickrow',
    reason_end: 'endplay',
  },
  { ts: 'yesterday', ms_played: 1000, master_metadata_track_name: 'Broken', master_metadata_album_artist_name: 'Nobody' },
  {
    ts: '2024-03-01T11:05:00Z',
    ms_played: 95_000,
    master_metadata_track_name: 'Группа крови',
    master_metadata_album_artist_name: 'Кино',
    spotify_track_uri: 'spotify:track:0000000000000000000004',
    reason_start: 'fwdbtn',
    reason_end: 'fwdbtn',
    skipped: true,
  },
  { ts: '2024-03-01T11:06:00Z', ms_played: -5, master_metadata_track_name: 'Negative', master_metadata_album_artist_name: 'Nobody' },
  'not an object',
]);

export const YOUTUBE = JSON.stringify([
  {
    header: 'YouTube Music',
    title: 'Watched Blinding Lights',
    titleUrl: 'https://music.youtube.com/watch?v=AAAAAAAAAA1',
    subtitles: [{ name: 'The Weeknd - Topic', url: 'https://www.youtube.com/channel/UC0000' }],
    time: '2024-02-10T08:00:00.123Z',
    products: ['YouTube'],
    activityControls: ['YouTube watch history'],
  },
  {
    header: 'YouTube',
    title: 'Watched How to tie a knot',
    titleUrl: 'https://www.youtube.com/watch?v=BBBBBBBBBB2',
    subtitles: [{ name: 'Knots Channel' }],
    time: '2024-02-10T08:05:00Z',
  },
  { header: 'YouTube Music', title: 'Watched a video that has been removed', time: '2024-02-10T08:06:00Z' },
  {
    header: 'YouTube Music',
    title: 'Watched Ad',
    titleUrl: 'https://music.youtube.com/watch?v=CCCCCCCCCC3',
    time: '2024-02-10T08:07:00Z',
    details: [{ name: 'From Google Ads' }],
  },
  {
    header: 'YouTube Music',
    title: 'Watched 봄날',
    titleUrl: 'https://music.youtube.com/watch?v=DDDDDDDDDD4',
    time: '2024-02-10T08:08:00Z',
  },
  {
    header: 'YouTube Music',
    title: 'Watched Ace Of Spades',
    titleUrl: 'https://music.youtube.com/watch?v=EEEEEEEEEE5&list=RDAMVM',
    subtitles: [{ name: 'Motörhead - Topic' }],
    time: '2024-02-10T08:12:00+01:00',
  },
]);

export const LASTFM_CSV_HEADED = [
  'uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid',
  '1706781600,"01 Feb 2024, 10:00",Simon & Garfunkel,,Sounds of Silence,,The Sound of Silence,11111111-1111-1111-1111-111111111111',
  '1706781900,"01 Feb 2024, 10:05","Earth, Wind & Fire",,,,September,',
  'soon,,Nobody,,,,Broken,',
  '1706782200,"01 Feb 2024, 10:10",,,,,No Artist,',
  '1706782500,"01 Feb 2024, 10:15","Quoted ""Artist""",,"Album, with comma",,"Line one',
  'line two",',
].join('\r\n');

export const LASTFM_CSV_CLASSIC = [
  'Björk,Debut,Human Behaviour,03 Jan 2023 21:15',
  'Сплин,Гранатовый альбом,Выхода нет,03 Jan 2023 21:20',
  'Someone,Something,Bad Date,31 Feb 2023 10:00',
].join('\n');

export const LASTFM_JSON = JSON.stringify([
  {
    track: [
      { artist: { '#text': 'Adele', mbid: '' }, name: 'Hello', album: { '#text': '25' }, '@attr': { nowplaying: 'true' } },
      {
        artist: { '#text': 'Adele', mbid: '' },
        name: 'Hello',
        album: { '#text': '25' },
        mbid: '',
        date: { uts: '1704103200', '#text': '01 Jan 2024, 10:00' },
      },
      { artist: { '#text': 'Sade' }, name: 'Smooth Operator', album: { '#text': 'Diamond Life' }, date: { uts: 'x' } },
    ],
    '@attr': { page: '1', totalPages: '2' },
  },
  { track: [{ artist: { '#text': 'Stromae' }, name: 'Alors on danse', date: { uts: '1704103500' } }] },
  { artist: 'Sigur Rós', album: 'Takk...', track: 'Hoppípolla', date: '2024-01-01T10:10:00Z' },
]);

export const APPLE_CSV = [
  [
    'Apple Id Number',
    'Song Name',
    'Album Name',
    'Container Artist Name',
    'Event Start Timestamp',
    'Event End Timestamp',
    'Event Type',
    'Play Duration Milliseconds',
    'Media Duration In Milliseconds',
    'End Reason Type',
    'Media Type',
    'Shuffle Play',
    'ISRC',
  ].join(','),
  '0,Lemon,STRAY SHEEP,米津玄師,2024-01-05T09:00:00.000Z,2024-01-05T09:04:15.000Z,PLAY_END,255000,255500,NATURAL_END_OF_TRACK,AUDIO,false,QZ-DDD-18-00001',
  '0,Creep,Pablo Honey,Radiohead,2024-01-05T09:05:00.000Z,2024-01-05T09:05:08.000Z,PLAY_END,8000,238000,TRACK_SKIPPED_FORWARDS,AUDIO,true,',
  '0,Creep,Pablo Honey,Radiohead,2024-01-05T09:05:00.000Z,,PLAY_START,,,,AUDIO,,',
  '0,"Hips Don\'t Lie",Oral Fixation,Shakira,2024-01-05T09:06:00.000Z,,PLAY_END,abc,218000,NATURAL_END_OF_TRACK,AUDIO,,',
  '0,Video Song,,Someone,2024-01-05T09:10:00.000Z,,PLAY_END,1000,2000,NATURAL_END_OF_TRACK,VIDEO,,',
  '0,"Layla ""Unplugged""",Unplugged,Eric Clapton,2024-01-05T09:12:00.000Z,,PLAY_END,120000,290000,SCRUBBED_TO_END,AUDIO,,',
  '0,No Time,,Someone,,,PLAY_END,1000,2000,NATURAL_END_OF_TRACK,AUDIO,,',
].join('\n');
