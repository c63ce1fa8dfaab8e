import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const train = (args: string[]) =>
  spawnSync(process.execPath, [join(root, 'models/cli/train.ts'), ...args, '--quiet'], { encoding: 'utf8' });

describe('npm run train', () => {
  it('Should write a bundle from a CSV', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backbeat-cli-'));
    const r = train([
      '--interactions',
      join(root, 'test/models/fixtures/tiny.csv'),
      '--out',
      join(dir, 'model'),
      '--factors',
      '8',
      '--iterations',
      '3',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'model')).sort()).toEqual(['items.json', 'manifest.json', 'scorer.onnx']);
  });

  it('Should stop on a bad file naming file, line and column, and leave nothing in --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backbeat-cli-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'user_id,item_id,weight\nu1,t1,3\nu2,t2,x\n');
    const r = train(['--interactions', bad, '--out', join(dir, 'model')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}:3:7: weight must be a number`);
    expect(existsSync(join(dir, 'model'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['bad.csv']);
  });

  it('Should ask for exactly one source and for --out', () => {
    expect(train(['--out', '/tmp/x']).stderr).toContain('name exactly one source');
    expect(train(['--hetrec', '/tmp']).stderr).toContain('--out DIR is required');
  });
});
