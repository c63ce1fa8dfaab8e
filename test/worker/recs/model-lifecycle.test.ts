import { describe, expect, it } from 'vitest';
import { SCORER_ITEM_EMBEDDINGS } from '../../../contract/bundle-manifest.ts';
import { readFloatInitializer } from '../../../contract/onnx-proto.ts';
import { api, type ErrorEnvelope, event, mintKey } from '../helpers.ts';
import { BUNDLES, decode, putCatalogue, type RecList, uploadBundle, versionOf } from './setup.ts';

const [A, B] = BUNDLES as [(typeof BUNDLES)[0], (typeof BUNDLES)[0]];

describe('Model lifecycle', () => {
  it('Should store an uploaded bundle, list it with its training metrics and refuse the same version twice', async () => {
    const res = await uploadBundle(A);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { version: string; active: boolean; items: number };
    expect(body).toMatchObject({ version: versionOf(A), active: false, items: JSON.parse(A.manifest).items });
    const list = (await (await api('/v1/admin/models')).json()) as {
      active: string | null;
      models: Array<{ version: string; training: { metrics: unknown } }>;
    };
    expect(list.models.map((m) => m.version)).toContain(versionOf(A));
    expect(list.models.find((m) => m.version === versionOf(A))?.training.metrics).toEqual(JSON.parse(A.manifest).training.metrics);
    expect((await uploadBundle(A)).status).toBe(409);
  });

  it('Should refuse a bundle whose checksum does not match, naming the field', async () => {
    const scorer = Uint8Array.from(atob(B.files['scorer.onnx'] as string), (c) => c.charCodeAt(0));
    scorer[scorer.length - 1] = (scorer[scorer.length - 1] as number) ^ 0xff;
    const res = await uploadBundle(B, { files: { 'scorer.onnx': scorer } });
    expect(res.status).toBe(400);
    const err = (await res.json()) as ErrorEnvelope;
    expect(err.error.details?.issues?.[0]?.path).toBe('sha256.scorer.onnx');
  });

  it('Should refuse an unknown format, a wrong item count and a missing file, naming the field', async () => {
    const cases: Array<[Parameters<typeof uploadBundle>[1], string]> = [
      [{ manifest: (m) => (m.format = 'backbeat-model/9') }, 'format'],
      [{ manifest: (m) => (m.items = 3) }, 'items'],
      [{ files: { 'items.json': null } }, 'files.items'],
    ];
    for (const [tamper, field] of cases) {
      const res = await uploadBundle(B, tamper);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorEnvelope).error.details?.issues?.[0]?.path).toBe(field);
    }
  });

  it('Should refuse versions and file names that could share or escape an R2 key, naming the field', async () => {
    const cases: Array<[Parameters<typeof uploadBundle>[1], string]> = [
      [{ manifest: (m) => (m.version = 'X/y') }, 'version'],
      [{ manifest: (m) => (m.version = '..') }, 'version'],
      [{ manifest: (m) => (m.files = { ...(m.files as object), items: 'y/items.json' }) }, 'files.items'],
      [{ manifest: (m) => (m.files = { ...(m.files as object), items: 'manifest.json' }) }, 'files.items'],
    ];
    for (const [tamper, field] of cases) {
      const res = await uploadBundle(B, tamper);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      const err = (await res.json()) as ErrorEnvelope;
      expect(err.error.code).toBe('invalid_bundle');
      expect(err.error.details?.issues?.[0]?.path).toBe(field);
    }
  });

  it('Should refuse a bundle whose item factors are not finite', async () => {
    const scorer = decode(B.files['scorer.onnx'] as string);
    const embedding = readFloatInitializer(scorer, SCORER_ITEM_EMBEDDINGS);
    if (!embedding) throw new Error('fixture scorer has no item embeddings');
    // The factors sit in the file as little-endian float32: find the first row and poison one value.
    const head = new Uint8Array(embedding.data.slice(0, 4).buffer);
    const at = scorer.findIndex((_, i) => head.every((b, j) => scorer[i + j] === b));
    expect(at).toBeGreaterThan(0);
    new DataView(scorer.buffer, scorer.byteOffset).setFloat32(at + 4, Number.NaN, true);
    const sha = [...new Uint8Array(await crypto.subtle.digest('SHA-256', scorer))].map((b) => b.toString(16).padStart(2, '0')).join('');
    const res = await uploadBundle(B, {
      files: { 'scorer.onnx': scorer },
      manifest: (m) => {
        m.version = `${m.version}-nan`;
        (m.sha256 as Record<string, string>)['scorer.onnx'] = sha;
      },
    });
    expect(res.status).toBe(400);
    const err = (await res.json()) as ErrorEnvelope;
    expect(err.error.details?.issues?.[0]).toMatchObject({ path: 'files.scorer', message: expect.stringContaining('finite') });
    expect((await api(`/v1/admin/models/${versionOf(B)}-nan/activate`, { method: 'POST' })).status).toBe(404);
  });

  it('Should let only admin keys upload, list and activate models', async () => {
    const app = await mintKey('app');
    expect((await uploadBundle(B, { key: app })).status).toBe(403);
    expect((await api('/v1/admin/models', { key: app })).status).toBe(403);
    expect((await api(`/v1/admin/models/${versionOf(A)}/activate`, { method: 'POST', key: app })).status).toBe(403);
  });

  it('Should answer 404 when activating an unknown version and 503 for recommendations before any activation', async () => {
    expect((await api('/v1/admin/models/nope/activate', { method: 'POST' })).status).toBe(404);
    const res = await api('/v1/users/u-nobody/recommendations');
    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe('no_active_model');
  });

  it('Should document the serving endpoints with request and response schemas', async () => {
    const doc = (await (await api('/v1/openapi.json', { key: null })).json()) as { paths: Record<string, Record<string, unknown>> };
    for (const path of [
      '/v1/admin/models',
      '/v1/admin/models/{version}/activate',
      '/v1/users/{userId}/recommendations',
      '/v1/tracks/{id}/similar',
      '/v1/artists/{id}/similar',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.paths['/v1/users/{userId}/recommendations'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(JSON.stringify(doc.paths['/v1/admin/models']?.post)).toContain('multipart/form-data');
  });

  it('Should switch traffic between versions on activation, without a redeploy', async () => {
    await putCatalogue();
    await api('/v1/events', { body: { events: [event({ user_id: 'lc-u1', track_id: 'fx-t1', type: 'save' })] } });
    expect((await uploadBundle(B)).status).toBe(201);
    for (const bundle of [A, B, A]) {
      const act = await api(`/v1/admin/models/${versionOf(bundle)}/activate`, { method: 'POST' });
      expect(act.status).toBe(200);
      const rec = (await (await api('/v1/users/lc-u1/recommendations?limit=5')).json()) as RecList;
      expect(rec.model_version).toBe(versionOf(bundle));
      expect(rec.items).toHaveLength(5);
    }
    const list = (await (await api('/v1/admin/models')).json()) as { active: string };
    expect(list.active).toBe(versionOf(A));
  });
});
