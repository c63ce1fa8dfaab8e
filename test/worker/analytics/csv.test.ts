import { describe, expect, it } from 'vitest';
import { contentDisposition, toCsv } from '../../../worker/analytics/csv.ts';
import { api, type ErrorEnvelope, track } from '../helpers.ts';

describe('CSV cells', () => {
  it('Should prefix a quote to cells starting with = + - @ TAB CR or LF', () => {
    const rows = ['=1+1', '+1', '-1', '@SUM(A1)', '\t=HYPERLINK("http://x")', '\r=HYPERLINK("http://x")', '\n=1'].map((v) => ({ v }));
    const lines = toCsv(rows, ['v']);
    expect(lines).toBe(
      'v\r\n\'=1+1\r\n\'+1\r\n\'-1\r\n\'@SUM(A1)\r\n"\'\t=HYPERLINK(""http://x"")"\r\n"\'\r=HYPERLINK(""http://x"")"\r\n"\'\n=1"\r\n',
    );
  });

  it('Should quote cells containing quotes, separators, CR or LF, and leave numbers alone', () => {
    expect(toCsv([{ a: 'x,y', b: 'say "hi"', c: 'a;b', d: 'l1\r\nl2', e: -3 }], ['a', 'b', 'c', 'd', 'e'])).toBe(
      'a,b,c,d,e\r\n"x,y","say ""hi""","a;b","l1\r\nl2",-3\r\n',
    );
  });
});

describe('Content-Disposition', () => {
  it('Should give one ASCII filename and a UTF-8 filename* for any name', () => {
    expect(contentDisposition('a-1.csv')).toBe(`attachment; filename="a-1.csv"; filename*=UTF-8''a-1.csv`);
    expect(contentDisposition('é.csv')).toBe(`attachment; filename="_.csv"; filename*=UTF-8''%C3%A9.csv`);
    const evil = contentDisposition('x"; filename="evil.html\r\n.csv');
    expect(evil).toBe(`attachment; filename="x___filename__evil.html__.csv"; filename*=UTF-8''x%22%3B%20filename%3D%22evil.html%0D%0A.csv`);
    expect(evil.match(/filename=/g)).toHaveLength(1);
    expect(() => new Headers({ 'content-disposition': evil })).not.toThrow();
  });

  it('Should refuse ids a CSV file name or header could not carry, at ingest and in paths', async () => {
    const artist = 'csv-a\r"; filename="evil.html';
    const put = await api('/v1/tracks', { method: 'PUT', body: { tracks: [track('csv-t1', artist), track('csv t2', 'csv-b')] } });
    expect(put.status).toBe(422);
    const rejected = ((await put.json()) as ErrorEnvelope).error.details?.rejected as { errors: { path: string }[] }[];
    expect(rejected.flatMap((r) => r.errors.map((e) => e.path))).toEqual(['tracks[0].artist.id', 'tracks[1].id']);
    const res = await api(`/v1/artists/${encodeURIComponent(artist)}/overview?from=2026-10-05&to=2026-10-11&format=csv`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorEnvelope).error.details?.issues?.map((i) => i.path)).toEqual(['param.id']);
  });
});
