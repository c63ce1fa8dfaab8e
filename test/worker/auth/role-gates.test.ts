/**
 * Every operation says who may call it (`x-roles` in /v1/openapi.json, from `allow(…)` in its route),
 * and the gate holds: a key of every other role gets 403 `forbidden` before anything is read or
 * validated, whatever the path and body. A new route without a gate fails here, as does a route whose
 * document and gate disagree.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../worker/schemas/roles.ts';
import { api, type ErrorEnvelope, mintKey } from '../helpers.ts';

interface Operation {
  operationId: string;
  'x-roles'?: Role[];
}
const doc = (await (await api('/v1/openapi.json', { key: null })).json()) as { paths: Record<string, Record<string, Operation>> };
const OPERATIONS = Object.entries(doc.paths).flatMap(([template, item]) =>
  Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), template, op })),
);

/** A concrete URL for a template: every path parameter gets an id that names nothing. */
const urlOf = (template: string) => template.replaceAll(/\{[^}]+\}/g, 'gate-probe');

describe('role gates', () => {
  const keys = {} as Record<Role, string>;
  beforeAll(async () => {
    for (const role of ROLES) keys[role] = await mintKey(role, role === 'artist' || role === 'marketer' ? ['gate-artist'] : undefined);
  });

  it('Should document the roles of every operation', () => {
    expect(OPERATIONS.length).toBeGreaterThan(30);
    const ungated = OPERATIONS.filter(({ op }) => !Array.isArray(op['x-roles']) || op['x-roles'].length === 0).map(
      ({ op }) => op.operationId,
    );
    expect(ungated).toEqual([]);
    for (const { op } of OPERATIONS) for (const role of op['x-roles'] ?? []) expect(ROLES).toContain(role);
  });

  it('Should answer 403 forbidden to every role an operation does not list, before reading its body', async () => {
    const leaks: string[] = [];
    for (const { method, template, op } of OPERATIONS) {
      for (const role of ROLES.filter((r) => !(op['x-roles'] ?? []).includes(r))) {
        // A body that no schema accepts: a gate that ran after validation would answer 400.
        const res = await api(urlOf(template), { method, key: keys[role], ...(method === 'GET' ? {} : { body: '{"gate":' }) });
        const code = res.status === 403 ? ((await res.json()) as ErrorEnvelope).error.code : null;
        if (code !== 'forbidden') leaks.push(`${method} ${template} as ${role}: ${res.status} ${code ?? ''}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('Should let every listed role past the gate', async () => {
    const refused: string[] = [];
    for (const { method, template, op } of OPERATIONS) {
      for (const role of op['x-roles'] ?? []) {
        const res = await api(urlOf(template), { method, key: keys[role], ...(method === 'GET' ? {} : { body: '{"gate":' }) });
        // Past the gate, a bound key may still meet the artist scope (403 with another message) or a missing row.
        if (res.status === 403) {
          const body = (await res.json()) as ErrorEnvelope;
          if (body.error.message.startsWith('This endpoint needs a key with role')) refused.push(`${method} ${template} as ${role}`);
        } else await res.body?.cancel();
      }
    }
    expect(refused).toEqual([]);
  });
});
