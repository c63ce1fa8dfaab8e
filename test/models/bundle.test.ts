import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BundleError, type Manifest, parseManifest, verifyBundleFiles } from '../../contract/bundle-manifest.ts';
import { contentFeatureVector } from '../../contract/content-features.ts';
import { decodeTransitions, encodeTransitions, TRANSITIONS_FILE } from '../../contract/transitions-file.ts';
import { readBundle, writeBundle } from '../../models/bundle/write.ts';
import { loadTrainingInput } from '../../models/data/load.ts';
import { exportModels, trainModels } from '../../models/pipeline/train.ts';
import { fitTransitions } from '../../models/session/transitions.ts';
import { DEFAULT_TRAINING_PARAMS } from '../../models/train/defaults.ts';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'backbeat-bundle-'));
let out = '';
let manifest: Manifest;

const bundleError = (f: () => unknown): BundleError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    return e as BundleError;
  }
  throw new Error('expected a BundleError');
};

beforeAll(async () => {
  const input = await loadTrainingInput({ interactions: join(fixtures, 'tiny.csv'), items: join(fixtures, 'tiny-items.csv') });
  const params = { ...DEFAULT_TRAINING_PARAMS, als: { ...DEFAULT_TRAINING_PARAMS.als, factors: 8, iterations: 5 } };
  const contents = await exportModels(input, await trainModels(input, params), { data: input.data, params: {}, metrics: {} });
  out = join(root, 'bundle');
  manifest = await writeBundle(out, contents);
});

describe('model bundle', () => {
  it('Should write a bundle that reads back and verifies, with no temporary folder left', async () => {
    const loaded = await readBundle(out);
    expect(loaded.manifest).toEqual(manifest);
    expect(loaded.itemIds).toHaveLength(48);
    expect(manifest.items).toBe(48);
    expect(manifest.dims).toBe(8);
    expect(manifest.files.content).toBe('content.onnx');
    expect(readdirSync(root)).toEqual(['bundle']);
  });

  it('Should carry next-track transitions when the data has sessions, and reject a broken transitions file', async () => {
    const input = await loadTrainingInput({ interactions: join(fixtures, 'tiny.csv') });
    const params = { ...DEFAULT_TRAINING_PARAMS, als: { ...DEFAULT_TRAINING_PARAMS.als, factors: 8, iterations: 2 } };
    const sessions = [Int32Array.of(0, 1, 2), Int32Array.of(0, 1), Int32Array.of(5, 0)];
    const withSessions = { ...input, sessions };
    const contents = await exportModels(withSessions, await trainModels(withSessions, params), { data: 'test', params: {}, metrics: {} });
    const dir = join(root, 'with-transitions');
    const written = await writeBundle(dir, contents);
    expect(written.files.transitions).toBe(TRANSITIONS_FILE);
    const { transitions } = await verifyBundleFiles(
      written,
      Object.fromEntries(Object.values(written.files).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))])),
    );
    expect(transitions).toEqual(fitTransitions(sessions, written.items, { window: 3, topK: 30 }));
    // 1 follows 0 in both sessions that have a 0 followed by anything: P(1 | 0) = 1 (2 is two plays on, ½ each).
    const row0 = [...transitions!.indices.subarray(transitions!.indptr[0]!, transitions!.indptr[1]!)];
    expect(row0[0]).toBe(1);

    const bytes = encodeTransitions(transitions!);
    const broken = (edit: (b: Uint8Array, v: DataView) => void) => {
      const b = bytes.slice();
      edit(b, new DataView(b.buffer));
      return bundleError(() => decodeTransitions(b, written.items));
    };
    expect(broken((b) => b.set([0, 0, 0, 0], 0)).message).toMatch(/does not start with "BBTR"/);
    expect(broken((_, v) => v.setUint32(8, 7, true)).message).toContain(`holds 7 items, the manifest says ${written.items}`);
    expect(broken((_, v) => v.setFloat32(v.byteLength - 4, 1.5, true)).message).toMatch(/not a probability/);
    expect(broken((_, v) => v.setInt32(16 + 4 * (written.items + 1), 999, true)).message).toContain(`outside 0..${written.items - 1}`);
    expect(bundleError(() => decodeTransitions(bytes.subarray(0, 20), written.items)).field).toBe('files.transitions');
    // A bundle from data without sessions has none.
    expect(manifest.files.transitions).toBeUndefined();
  });

  it('Should reject an unknown format, naming the field', () => {
    expect(bundleError(() => parseManifest({ ...manifest, format: 'backbeat-model/2' })).field).toBe('format');
  });

  it('Should reject non-positive items and dims, naming the field', () => {
    expect(bundleError(() => parseManifest({ ...manifest, items: 0 })).field).toBe('items');
    expect(bundleError(() => parseManifest({ ...manifest, dims: 1.5 })).field).toBe('dims');
    expect(bundleError(() => parseManifest({ ...manifest, halfLifeDays: -1 })).field).toBe('halfLifeDays');
    expect(bundleError(() => parseManifest({ ...manifest, eventWeights: { play: 1 } })).field).toBe('eventWeights.complete');
  });

  it('Should reject a file whose sha256 does not match', async () => {
    const files = Object.fromEntries(Object.values(manifest.files).map((f) => [f, new Uint8Array(readFileSync(join(out, f)))]));
    const tampered = { ...files, 'items.json': new TextEncoder().encode('["x"]') };
    await expect(verifyBundleFiles(manifest, tampered)).rejects.toMatchObject({ field: 'sha256.items.json' });
  });

  it('Should reject items or dims that disagree with the ONNX shapes', async () => {
    const files = Object.fromEntries(Object.values(manifest.files).map((f) => [f, new Uint8Array(readFileSync(join(out, f)))]));
    const items = new TextEncoder().encode(JSON.stringify(Array.from({ length: 47 }, (_, i) => `t${i}`)));
    const sha = Buffer.from(await crypto.subtle.digest('SHA-256', items)).toString('hex');
    const fewer = { ...manifest, items: 47, sha256: { ...manifest.sha256, 'items.json': sha } };
    await expect(verifyBundleFiles(fewer, { ...files, 'items.json': items })).rejects.toMatchObject({ field: 'items' });
    await expect(verifyBundleFiles({ ...manifest, dims: 16 }, files)).rejects.toMatchObject({ field: 'dims' });
  });

  it('Should refuse to load a folder whose manifest was edited, leaving the bundle as it was', async () => {
    const copy = join(root, 'edited');
    await writeBundle(copy, {
      scorer: new Uint8Array(readFileSync(join(out, 'scorer.onnx'))),
      itemIds: JSON.parse(readFileSync(join(out, 'items.json'), 'utf8')),
      dims: manifest.dims,
      eventWeights: manifest.eventWeights,
      halfLifeDays: manifest.halfLifeDays,
      training: manifest.training,
    });
    const m = JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8'));
    writeFileSync(join(copy, 'manifest.json'), JSON.stringify({ ...m, sha256: { ...m.sha256, 'scorer.onnx': '0'.repeat(64) } }));
    await expect(readBundle(copy)).rejects.toMatchObject({ field: 'sha256.scorer.onnx' });
  });

  it('Should turn a catalogue row into the manifest feature vector', () => {
    const v = contentFeatureVector(
      [
        { name: 'energy', transform: { kind: 'standardize', mean: 0.5, std: 0.25 } },
        { name: 'genre=rock', source: 'genre', transform: { kind: 'equals', value: 'rock' } },
        { name: 'tag=live', source: 'tags', transform: { kind: 'contains', value: 'live' } },
        { name: 'tempo', transform: 'identity' },
      ],
      { energy: 1, genre: 'Rock', tags: ['studio', 'live'], tempo: null },
    );
    expect(Array.from(v)).toEqual([2, 1, 1, 0]);
  });
});
