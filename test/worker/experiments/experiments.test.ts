import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { armAt, bucketOf } from '../../../worker/experiments/assign.ts';
import { api, type ErrorEnvelope, event, mintKey } from '../helpers.ts';
import { BUNDLES, putCatalogue, type RecList, uploadAndActivate, uploadBundle, versionOf } from '../recs/setup.ts';

const [A, B] = BUNDLES as [(typeof BUNDLES)[0], (typeof BUNDLES)[0]];

interface Experiment {
  id: string;
  mode: string;
  status: string;
  arms: { name: string; model_version: string; share: number }[];
  winner: string | null;
}
type Tagged = RecList & { experiment: { id: string; arm: string } | null; items: RecList['items'] };

async function start(body: unknown): Promise<Experiment> {
  const res = await api('/v1/admin/experiments', { body });
  if (res.status !== 201) throw new Error(`start failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Experiment;
}

async function tagged(userId: string): Promise<Tagged> {
  const res = await api(`/v1/users/${userId}/recommendations?limit=6`);
  if (res.status !== 200) throw new Error(`recommendations failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Tagged;
}

/** The served list's row, once the background write has landed. */
async function listRow(recId: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const row = await env.DB.prepare('SELECT experiment_id, arm, model_version FROM rec_lists WHERE rec_id = ?1').bind(recId).first();
    if (row) return row;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`list ${recId} was never logged`);
}

/** `n` streams (and a skip) of the list's first tracks, sent back with its rec_id. */
async function listenTo(userId: string, list: Tagged, n: number, skips = 0) {
  const now = Date.now();
  const events = list.items.slice(0, n + skips).map((it, position) => ({
    user_id: userId,
    track_id: it.track_id,
    type: position < n ? 'play_end' : 'skip',
    ms_played: position < n ? 180_000 : 4_000,
    ts: now + position,
    context: { source: 'algorithmic', rec_id: list.rec_id, position },
  }));
  if (events.length === 0) return;
  const res = await api('/v1/events', { body: { events: events.map((e) => event(e)) } });
  if (res.status !== 200) throw new Error(`events failed: ${res.status} ${await res.text()}`);
}

describe('Experiments', () => {
  let a = '';
  let b = '';
  beforeAll(async () => {
    await putCatalogue();
    a = await uploadAndActivate(A);
    const up = await uploadBundle(B);
    if (up.status !== 201) throw new Error(`upload failed: ${up.status}`);
    b = versionOf(B);
  });

  it('Should let only admin keys start, list, read and end experiments', async () => {
    for (const role of ['app', 'artist', 'marketer', 'editor'] as const) {
      const key = await mintKey(role, role === 'artist' || role === 'marketer' ? ['fx-a0'] : undefined);
      const body = {
        name: 'x',
        arms: [
          { name: 'control', model_version: a },
          { name: 'new', model_version: b },
        ],
      };
      expect({ role, status: (await api('/v1/admin/experiments', { key, body })).status }).toEqual({ role, status: 403 });
      expect({ role, status: (await api('/v1/admin/experiments', { key })).status }).toEqual({ role, status: 403 });
      expect({ role, status: (await api('/v1/admin/experiments/exp_x/report', { key })).status }).toEqual({ role, status: 403 });
    }
    expect((await api('/v1/admin/experiments', { key: null })).status).toBe(401);
    const missing = await api('/v1/admin/experiments/exp_missing/report');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorEnvelope).error.code).toBe('experiment_not_found');
  });

  it('Should refuse arms that cannot start, naming the field', async () => {
    const third = `${b}-3`;
    const up = await uploadBundle(B, { manifest: (m) => (m.version = third) });
    expect(up.status).toBe(201);
    const cases: Array<[unknown, string, string]> = [
      [
        {
          name: 'x',
          arms: [
            { name: 'c', model_version: a, share: 0.5 },
            { name: 'n', model_version: b, share: 0.4 },
          ],
        },
        'json.arms',
        'shares_not_one',
      ],
      [
        {
          name: 'x',
          arms: [
            { name: 'c', model_version: a, share: 0.5 },
            { name: 'n', model_version: b },
          ],
        },
        'json.arms',
        'incomplete_shares',
      ],
      [
        {
          name: 'x',
          arms: [
            { name: 'c', model_version: a },
            { name: 'n', model_version: 'nope' },
          ],
        },
        'json.arms[1].model_version',
        'model_not_found',
      ],
      [
        {
          name: 'x',
          arms: [
            { name: 'c', model_version: a },
            { name: 'c', model_version: b },
          ],
        },
        'json.arms[1].name',
        'duplicate_arm',
      ],
      [
        {
          name: 'x',
          arms: [
            { name: 'c', model_version: b },
            { name: 'n', model_version: third },
          ],
        },
        'json.arms',
        'too_many_models',
      ],
      [
        {
          name: 'x',
          mode: 'interleave',
          arms: [
            { name: 'c', model_version: a },
            { name: 'n', model_version: b },
            { name: 'm', model_version: b },
          ],
        },
        'json.arms',
        'too_many_arms',
      ],
      [
        {
          name: 'x',
          arms: [
            { name: 'interleaved', model_version: a },
            { name: 'n', model_version: b },
          ],
        },
        'json.arms[0].name',
        'custom',
      ],
      [{ name: 'x', arms: [{ name: 'c', model_version: a }] }, 'json.arms', 'too_small'],
    ];
    for (const [body, path, code] of cases) {
      const res = await api('/v1/admin/experiments', { body });
      const err = (await res.json()) as ErrorEnvelope;
      expect({ path, status: res.status, issue: err.error.details?.issues?.find((i) => i.path === path)?.code }).toEqual({
        path,
        status: 400,
        issue: code,
      });
    }
    expect(((await (await api('/v1/admin/experiments')).json()) as { experiments: unknown[] }).experiments).toEqual([]);
  });

  it('Should serve each listener the model of their hashed arm, tag every list, and report the arms', async () => {
    const e = await start({
      name: 'B against A',
      arms: [
        { name: 'control', model_version: a },
        { name: 'treatment', model_version: b },
      ],
    });
    expect(e).toMatchObject({ mode: 'split', status: 'running', arms: [{ share: 0.5 }, { share: 0.5 }] });
    const second = await api('/v1/admin/experiments', {
      body: {
        name: 'y',
        arms: [
          { name: 'c', model_version: a },
          { name: 'n', model_version: b },
        ],
      },
    });
    expect(second.status).toBe(409);

    const users = Array.from({ length: 16 }, (_, i) => `ex-u${i}`);
    const served = new Map<string, Tagged>();
    for (const u of users) {
      const list = await tagged(u);
      const arm = armAt(e.arms, await bucketOf(e.id, u));
      expect({ u, experiment: list.experiment, version: list.model_version }).toEqual({
        u,
        experiment: { id: e.id, arm: arm.name },
        version: arm.model_version,
      });
      // The same listener keeps their arm.
      expect((await tagged(u)).experiment?.arm).toBe(arm.name);
      served.set(u, list);
    }
    for (const [u, list] of served) {
      expect(await listRow(list.rec_id)).toEqual({ experiment_id: e.id, arm: list.experiment?.arm, model_version: list.model_version });
      // Treatment listeners stream three tracks and skip one; control listeners stream one.
      await listenTo(u, list, list.experiment?.arm === 'treatment' ? 3 : 1, list.experiment?.arm === 'treatment' ? 1 : 0);
    }
    const inArm = (name: string) => users.filter((u) => served.get(u)?.experiment?.arm === name).length;
    expect(inArm('control')).toBeGreaterThan(1);
    expect(inArm('treatment')).toBeGreaterThan(1);

    const report = (await (await api(`/v1/admin/experiments/${e.id}/report`)).json()) as {
      arms: Array<{
        arm: string;
        users: number;
        lists: number;
        streams_per_user: number;
        skip_rate: number;
        conversion: number;
        coverage: number;
      }>;
      lift: Array<{ arm: string; against: string; streams_per_user: { difference: number; ci_low: number | null; significant: boolean } }>;
      interleaving: unknown;
    };
    expect(report.interleaving).toBeNull();
    expect(report.arms.map((r) => [r.arm, r.users, r.lists, r.streams_per_user, r.skip_rate, r.conversion])).toEqual([
      ['control', inArm('control'), 2 * inArm('control'), 1, 0, 0.5],
      ['treatment', inArm('treatment'), 2 * inArm('treatment'), 3, 0.25, 0.5],
    ]);
    expect(report.arms.every((r) => r.coverage > 0 && r.coverage <= 1)).toBe(true);
    expect(report.lift).toHaveLength(1);
    expect(report.lift[0]).toMatchObject({ arm: 'treatment', against: 'control', streams_per_user: { difference: 2 } });
    // Every listener of an arm did the same: zero variance, a zero-width interval around 2.
    expect(report.lift[0]?.streams_per_user.ci_low).toBeCloseTo(2, 10);
    expect(report.lift[0]?.streams_per_user.significant).toBe(true);

    // Promote the treatment: its model serves everyone, the experiment ends, and lists are untagged.
    const bad = await api(`/v1/admin/experiments/${e.id}/promote`, { body: { arm: 'nope' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorEnvelope).error.details?.issues?.[0]?.path).toBe('json.arm');
    const promoted = await api(`/v1/admin/experiments/${e.id}/promote`, { body: { arm: 'treatment' } });
    expect(promoted.status).toBe(200);
    expect((await promoted.json()) as Experiment).toMatchObject({ status: 'promoted', winner: 'treatment' });
    expect(((await (await api('/v1/admin/models')).json()) as { active: string }).active).toBe(b);
    const after = await tagged('ex-u0');
    expect(after.experiment).toBeNull();
    expect(after.model_version).toBe(b);
    expect((await api(`/v1/admin/experiments/${e.id}/promote`, { body: { arm: 'treatment' } })).status).toBe(409);
    expect((await api(`/v1/admin/experiments/${e.id}/stop`, { method: 'POST' })).status).toBe(409);
    const audit = (await (await api('/v1/admin/audit?action=experiment.promote')).json()) as { entries: Array<{ target: string }> };
    expect(audit.entries.map((x) => x.target)).toContain(e.id);
  });

  it('Should interleave both arms in one list, credit streams to the arm that placed them, and stop in one call', async () => {
    const e = await start({
      name: 'interleaved',
      mode: 'interleave',
      arms: [
        { name: 'old', model_version: a },
        { name: 'new', model_version: b },
      ],
    });
    const users = Array.from({ length: 6 }, (_, i) => `il-u${i}`);
    for (const u of users) {
      const list = await tagged(u);
      expect(list.experiment).toEqual({ id: e.id, arm: 'interleaved' });
      expect(new Set(list.items.map((i) => i.track_id)).size).toBe(list.items.length);
      await listRow(list.rec_id);
      const items = (
        await env.DB.prepare('SELECT track_id, arm FROM rec_items WHERE rec_id = ?1 ORDER BY position')
          .bind(list.rec_id)
          .all<{ track_id: string; arm: string }>()
      ).results;
      expect(items.map((i) => i.track_id)).toEqual(list.items.map((i) => i.track_id));
      const teams = items.map((i) => i.arm);
      expect(teams.every((t) => t === 'old' || t === 'new')).toBe(true);
      expect(Math.abs(teams.filter((t) => t === 'old').length - teams.filter((t) => t === 'new').length)).toBeLessThanOrEqual(1);
      // Each listener streams only the tracks the new arm placed.
      const fromNew = list.items.filter((_, k) => teams[k] === 'new');
      await listenTo(u, { ...list, items: fromNew }, fromNew.length);
    }
    const report = (await (await api(`/v1/admin/experiments/${e.id}/report`)).json()) as {
      interleaving: {
        exposed_users: number;
        users: number;
        wins_a: number;
        wins_b: number;
        ties: number;
        delta: number;
        significant: boolean;
      };
    };
    expect(report.interleaving).toMatchObject({ exposed_users: 6, users: 6, wins_a: 0, wins_b: 6, ties: 0, delta: 0.5, significant: true });
    const stopped = await api(`/v1/admin/experiments/${e.id}/stop`, { method: 'POST' });
    expect(stopped.status).toBe(200);
    expect(((await stopped.json()) as Experiment).status).toBe('stopped');
    expect((await tagged('il-u0')).experiment).toBeNull();
  });

  it("Should serve a settings-only arm from the same model: a popularity baseline ranks by the week's plays", async () => {
    const e = await start({
      name: 'model against popularity',
      arms: [
        { name: 'model', model_version: b },
        { name: 'popular', model_version: b, settings: { ranker: 'popular', exploration: 0 } },
      ],
    });
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const u = `pop-u${i}`;
      // A listener with history, so the model arm ranks by the model.
      await listenTo(u, await tagged(u), 2);
      const list = await tagged(u);
      const arm = armAt(e.arms, await bucketOf(e.id, u)).name;
      expect(list.experiment).toEqual({ id: e.id, arm });
      seen.add(arm);
      const sources = new Set(list.items.map((it) => it.source));
      if (arm === 'popular') expect([...sources]).toEqual(['popular']);
      else expect(sources.has('popular')).toBe(false);
    }
    expect([...seen].sort()).toEqual(['model', 'popular']);
    expect((await api(`/v1/admin/experiments/${e.id}/stop`, { method: 'POST' })).status).toBe(200);
  });
});
