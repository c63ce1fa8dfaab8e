/**
 * Small synthetic files in the formats of the public datasets (HetRec 2K, Last.fm 1K, Spotify songs),
 * written to a temporary folder by the importer tests. Every artist, track and id here is made up:
 * the real datasets may be read from ../shared/data but never copied into this repository.
 * Each file carries the edge cases the importers must report (bad ids, missing columns, stray quotes).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HETREC: Record<string, string> = {
  'artists.dat': `id	name	url	pictureURL
1	Velvet Static	http://www.last.fm/music/Velvet+Static	http://x/1.jpg
2	Paper Orchard	http://www.last.fm/music/Paper+Orchard	http://x/2.jpg
three	Bad Id	http://x	http://x
4		http://x	http://x
5	Sigrún Ösp	http://www.last.fm/music/Sigrun+Osp	http://x/5.jpg
`,
  'tags.dat': `tagID	tagValue
1	metal
2	electronic
3	café music
`,
  'user_artists.dat': `userID	artistID	weight
2	1	12000
2	2	1
3	5	300
3	77	12
4	x	5
4	1
`,
  'user_taggedartists.dat': `userID	artistID	tagID	day	month	year
2	1	1	1	4	2009
3	1	1	1	4	2009
2	2	2	1	4	2009
2	5	3	1	4	2009
2	5	99	1	4	2009
`,
};

const LASTFM1K_PLAYS = `user_000001	2009-05-04T23:08:57Z	0a1b2c3d-0000-4000-8000-000000000001	Night Ferry		Harbour Lights
user_000001	2009-05-04T23:05:00Z	0a1b2c3d-0000-4000-8000-000000000002	星野ミナ	0a1b2c3d-0000-4000-8000-0000000000a1	Quiet Snow
user_000001	2009-05-04T23:04:40Z	0a1b2c3d-0000-4000-8000-000000000002	星野ミナ		Blue Morning
user_000001	not-a-date		Tin Garden		Copper
user_000001	2009-05-04T22:00:00Z	only-three-columns
user_000002	2009-05-04T20:00:00Z		Tin Garden		Copper
user_000002	2009-05-04T19:58:00Z				No Artist
`;

const LASTFM1K_PROFILES = `#id	gender	age	country	registered
user_000001	m		Japan	Aug 13, 2006
user_000002	f		Bosnia and Herzegovina	Feb 24, 2006
user_000003	m	22	Atlantis	Oct 30, 2005
`;

const SPOTIFY_HEADER =
  'track_id,track_name,track_artist,track_popularity,track_album_id,track_album_name,track_album_release_date,playlist_name,playlist_id,playlist_genre,playlist_subgenre,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms';

const SPOTIFY_ROWS = [
  '0synthetic00000000000a1,Glass Harbour - Club Remix,Mara Vell,66,0album000000000000000a1,Glass Harbour [Club Remix],2019-06-14,Pop Remix,0playlist0000000000p01,pop,dance pop,0.748,0.916,6,-2.634,1,0.0583,0.102,0,0.0653,0.518,122.036,194754',
  '0synthetic00000000000a1,Glass Harbour - Club Remix,Mara Vell,66,0album000000000000000a1,Glass Harbour [Club Remix],2019-06-14,Electro House,0playlist0000000000p02,edm,electro house,0.748,0.916,6,-2.634,1,0.0583,0.102,0,0.0653,0.518,122.036,194754',
  `0synthetic00000000000a2,"Oh, Who's Calling?",Lantern Coast,0,0album000000000000000a2,Lantern Coast,1989,City Pop,0playlist0000000000p03,rock,album rock,0.5,0.315,1,-26.087,1,0.05,0.2,0,0.1,0.4,0,240000`,
  '0synthetic00000000000a3,NA,NA,0,0album000000000000000a3,NA,2012-01-05,Hip Hop,0playlist0000000000p04,rap,southern hip hop,0.714,0.821,6,-7.635,1,0.176,0.041,0,0.116,0.649,95.999,282707',
  '0synthetic00000000000a4,Paper Kites,Juno Park,100,0album000000000000000a4,Paper Kites (Stripped),2019-10-17,Pop Hits,0playlist0000000000p05,pop,post-teen pop,0.824,1.588,6,-6.4,0,0.0924,0.692,0.000104,0.149,0.513,98.027,209755',
  '0synthetic00000000000a5,Good Company,Mara Vell,70,0album000000000000000a5,Collaborations,2019-07,Pop Hits,0playlist0000000000p05,pop,post-teen pop,0.64,0.648,5,-8.113,0,0.187,0.124,0,0.08,0.548,92.977,197867',
  '0synthetic00000000000a6,"Broken "quote,Nobody,1,x,y,2019-01-01,p,q,pop,x,0.5,0.5,1,-5,1,0.1,0.1,0,0.1,0.5,100,200000',
  '0synthetic00000000000a7,Afterglow,Northbound,98,0album000000000000000a7,Afterglow,2019-09-20,Pop Hits,0playlist0000000000p05,pop,dance pop,0.764,0.32,11,-7.209,1,0.0546,0.837,0,0.0822,0.575,91.019,189486',
  '0synthetic00000000000a8,Too Few Columns,Someone,1,x',
];

export interface ImporterFixtures {
  hetrecDir: string;
  lastfm1kPlays: string;
  spotifySongs: string;
}

/** Writes the fixtures to a fresh temporary folder and returns their paths. */
export function writeImporterFixtures(): ImporterFixtures {
  const root = mkdtempSync(join(tmpdir(), 'bb-importers-'));
  const hetrecDir = join(root, 'hetrec');
  mkdirSync(hetrecDir);
  for (const [name, text] of Object.entries(HETREC)) {
    // The real tags.dat is Latin-1; the importer must decode it.
    writeFileSync(join(hetrecDir, name), name === 'tags.dat' ? Buffer.from(text, 'latin1') : text);
  }
  const lastfmDir = join(root, 'lastfm1k');
  mkdirSync(lastfmDir);
  const lastfm1kPlays = join(lastfmDir, 'plays.tsv');
  writeFileSync(lastfm1kPlays, LASTFM1K_PLAYS);
  writeFileSync(join(lastfmDir, 'userid-profile.tsv'), LASTFM1K_PROFILES);
  const spotifySongs = join(root, 'songs.csv');
  writeFileSync(spotifySongs, `${[SPOTIFY_HEADER, ...SPOTIFY_ROWS].join('\n')}\n`);
  return { hetrecDir, lastfm1kPlays, spotifySongs };
}
