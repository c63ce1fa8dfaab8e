import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../models/data/csv.ts';
import { readHetrec } from '../../models/data/read-hetrec.ts';
import { readInteractionsCsv } from '../../models/data/read-interactions-csv.ts';
import { readItemsCsv } from '../../models/data/read-items-csv.ts';

const dir = mkdtempSync(join(tmpdir(), 'backbeat-readers-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

async function inputError(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

describe('interactions CSV', () => {
  it('Should sum repeated pairs and keep first-seen id order', async () => {
    const p = file('ok.csv', 'user_id,item_id,weight,timestamp\na,x,2,1\nb,y,1,2\na,x,3,3\n"a,b",y,1,4\n');
    const d = await readInteractionsCsv(p);
    expect(d.userIds).toEqual(['a', 'b', 'a,b']);
    expect(d.itemIds).toEqual(['x', 'y']);
    expect(Array.from(d.byUser.indptr)).toEqual([0, 1, 2, 3]);
    expect(Array.from(d.byUser.values)).toEqual([5, 1, 1]);
  });

  it('Should name file, line and column of a bad weight', async () => {
    const p = file('bad-weight.csv', 'user_id,item_id,weight\na,x,1\nb,y,lots\n');
    const e = await inputError(readInteractionsCsv(p));
    expect([e.file, e.line, e.column]).toEqual([p, 3, 5]);
    expect(e.message).toContain(`${p}:3:5`);
    expect(e.message).toContain('weight must be a number');
  });

  it('Should reject a missing header column, a negative weight and a short row', async () => {
    expect((await inputError(readInteractionsCsv(file('no-weight.csv', 'user_id,item_id\na,x\n')))).message).toContain('"weight"');
    const neg = await inputError(readInteractionsCsv(file('neg.csv', 'user_id,item_id,weight\na,x,-1\n')));
    expect([neg.line, neg.column]).toEqual([2, 5]);
    const short = await inputError(readInteractionsCsv(file('short.csv', 'user_id,item_id,weight\na,x\n')));
    expect(short.line).toBe(2);
    expect(short.message).toContain('expected 3 columns');
  });

  it('Should report a missing file and an empty file by name', async () => {
    expect((await inputError(readInteractionsCsv(join(dir, 'nope.csv')))).message).toContain('file not found');
    expect((await inputError(readInteractionsCsv(file('empty.csv', '')))).message).toContain('empty');
  });
});

describe('items CSV', () => {
  it('Should read genre, tags and numeric features, with empty cells as missing', async () => {
    const m = await readItemsCsv(file('items.csv', 'item_id,genre,tags,energy\nt1,Rock,indie|Live,0.5\nt2,,,\n'));
    expect(m.get('t1')?.genre).toBe('rock');
    expect([...(m.get('t1')?.tags.keys() ?? [])]).toEqual(['indie', 'live']);
    expect(m.get('t1')?.numeric.energy).toBe(0.5);
    expect(m.get('t2')?.numeric.energy).toBeNull();
  });

  it('Should name the cell of a non-numeric feature', async () => {
    const p = file('items-bad.csv', 'item_id,energy\nt1,0.5\nt2,high\n');
    const e = await inputError(readItemsCsv(p));
    expect([e.line, e.column]).toEqual([3, 4]);
  });
});

describe('HetRec reader', () => {
  const hetrec = (plays: string, tagged = 'userID\tartistID\ttagID\tday\tmonth\tyear\n1\t10\t7\t1\t1\t2009\n2\t10\t7\t1\t1\t2009\n') => {
    const d = mkdtempSync(join(tmpdir(), 'backbeat-hetrec-'));
    writeFileSync(join(d, 'user_artists.dat'), plays);
    writeFileSync(join(d, 'tags.dat'), Buffer.from('tagID\ttagValue\n7\tMot\xf6rhead-ish\n', 'latin1'));
    writeFileSync(join(d, 'user_taggedartists.dat'), tagged);
    return d;
  };

  it('Should read plays as interactions and taggings as tag counts (Latin-1 tags)', async () => {
    const d = await readHetrec(hetrec('userID\tartistID\tweight\n1\t10\t300\n2\t10\t5\n2\t11\t7\n'));
    expect(d.interactions.userIds).toEqual(['1', '2']);
    expect(d.interactions.itemIds).toEqual(['10', '11']);
    expect(d.content[0]?.tags.get('motörhead-ish')).toBe(2);
    const onlyUser1 = await readHetrec(hetrec('userID\tartistID\tweight\n1\t10\t300\n'), { tagsOf: (u) => u === '1' });
    expect(onlyUser1.content[0]?.tags.get('motörhead-ish')).toBe(1);
  });

  it('Should name file, line and column of a bad artist id and of an unknown tag', async () => {
    const d = hetrec('userID\tartistID\tweight\n1\t10\t300\n2\tabc\t5\n');
    const e = await inputError(readHetrec(d));
    expect(e.file).toBe(join(d, 'user_artists.dat'));
    expect([e.line, e.column]).toEqual([3, 3]);
    const t = hetrec('userID\tartistID\tweight\n1\t10\t300\n', 'userID\tartistID\ttagID\n1\t10\t99\n');
    const te = await inputError(readHetrec(t));
    expect([te.file.endsWith('user_taggedartists.dat'), te.line, te.column]).toEqual([true, 2, 6]);
    expect(te.message).toContain('not in tags.dat');
  });
});
