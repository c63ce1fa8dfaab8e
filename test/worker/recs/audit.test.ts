import { describe, expect, it } from 'vitest';
import { api, type ErrorEnvelope, mintKey } from '../helpers.ts';
import { BUNDLES, putCatalogue, uploadAndActivate, versionOf } from './setup.ts';

interface AuditPage {
  entries: {
    id: number;
    at: string;
    actor: { key_id: string; role: string };
    action: string;
    target: string;
    detail: Record<string, unknown>;
  }[];
  next_before: number | null;
}

const audit = async (query = '', key?: string) => (await (await api(`/v1/admin/audit${query}`, { key })).json()) as AuditPage;
const keyIdOf = (key: string) => key.split('_')[1] as string;

// Lives with the model tests: it uploads and activates a fixture bundle like they do.
describe('Audit log', () => {
  it('Should record who minted and revoked a key, once per change, readable by admins only', async () => {
    const ops = await mintKey('admin');
    const mint = await api('/v1/admin/keys', { key: ops, body: { role: 'artist', name: 'Label B', artist_ids: ['a9'] } });
    const minted = (await mint.json()) as { id: string };
    expect((await api(`/v1/admin/keys/${minted.id}`, { method: 'DELETE', key: ops })).status).toBe(200);
    // A second revoke changes nothing, so it adds no entry.
    expect((await api(`/v1/admin/keys/${minted.id}`, { method: 'DELETE', key: ops })).status).toBe(200);

    const mine = (await audit('?limit=500')).entries.filter((e) => e.target === minted.id);
    expect(mine.map((e) => e.action)).toEqual(['key.revoke', 'key.mint']);
    expect(mine.every((e) => e.actor.key_id === keyIdOf(ops) && e.actor.role === 'admin')).toBe(true);
    expect(mine[1]?.detail).toEqual({ role: 'artist', name: 'Label B', artist_ids: ['a9'] });
    expect(JSON.stringify(mine)).not.toContain(ops.split('_')[2]);

    for (const role of ['app', 'artist', 'marketer'] as const) {
      const res = await api('/v1/admin/audit', { key: await mintKey(role, role === 'app' ? undefined : ['a9']) });
      expect(res.status).toBe(403);
    }
  });

  it('Should record model uploads and activations with the previous version', async () => {
    await putCatalogue();
    const [first, second] = [BUNDLES[0], BUNDLES[1]];
    if (!first || !second) throw new Error('fixture bundles missing');
    await uploadAndActivate(first);
    await uploadAndActivate(second);
    const activations = (await audit('?action=model.activate&limit=500')).entries;
    const latest = activations[0];
    expect(latest).toMatchObject({ action: 'model.activate', target: versionOf(second), detail: { previous: versionOf(first) } });
    const uploads = (await audit('?action=model.upload&limit=500')).entries.map((e) => e.target);
    expect(uploads).toEqual(expect.arrayContaining([versionOf(first), versionOf(second)]));
    expect(activations.every((e) => e.action === 'model.activate')).toBe(true);
  });

  it('Should page newest first and refuse an unknown action filter, naming the field', async () => {
    for (let i = 0; i < 3; i++) await mintKey('app');
    const page1 = await audit('?limit=2');
    expect(page1.entries).toHaveLength(2);
    expect(page1.next_before).toBe(page1.entries[1]?.id);
    const page2 = await audit(`?limit=2&before=${page1.next_before}`);
    expect(Math.max(...page2.entries.map((e) => e.id))).toBeLessThan(Math.min(...page1.entries.map((e) => e.id)));
    const bad = await api('/v1/admin/audit?action=key.steal');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorEnvelope).error.details?.issues?.map((i) => i.path)).toContain('query.action');
  });
});
