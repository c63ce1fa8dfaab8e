/**
 * Webhooks: registration (https only, secret shown once), signed deliveries, retries with backoff,
 * the dead-letter list, and scoping.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDb } from '../../../worker/db/client.ts';
import { insertDeliveries } from '../../../worker/db/insights.ts';
import { backoffSeconds, MAX_ATTEMPTS, signatureHeader, verifySignature, webhookUrlProblem } from '../../../worker/insights/webhooks.ts';
import { QUEUE_CONSUMERS } from '../../../worker/jobs/index.ts';
import { WEBHOOK_URL_PATTERN } from '../../../worker/schemas/insights.ts';
import { api, type ErrorEnvelope, mintKey } from '../helpers.ts';
import { seedArtist } from './seed.ts';

const P = 'iw';
const A = `${P}-a`;
const B = `${P}-b`;

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** A one-message batch whose ack / retry calls are recorded. */
function batchOf(deliveryId: string) {
  const calls: { ack: number; retries: (number | undefined)[] } = { ack: 0, retries: [] };
  const message = {
    id: `m-${deliveryId}`,
    timestamp: new Date(),
    attempts: 1,
    body: { delivery_id: deliveryId },
    ack: () => void calls.ack++,
    retry: (o?: { delaySeconds?: number }) => void calls.retries.push(o?.delaySeconds),
  };
  const batch = { queue: 'backbeat-webhooks', messages: [message], ackAll() {}, retryAll() {} } as unknown as MessageBatch<unknown>;
  return { batch, calls };
}

/** Runs the registered consumer on one delivery. */
async function consume(deliveryId: string) {
  const { batch, calls } = batchOf(deliveryId);
  const consumer = QUEUE_CONSUMERS['backbeat-webhooks'];
  if (!consumer) throw new Error('no consumer for backbeat-webhooks');
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  await consumer.consume(batch, { env, now: Date.now(), log: { info() {}, warn() {}, error() {} } });
  return calls;
}

async function registerWebhook(artistId: string, key: string, url = 'http://localhost:8/hook') {
  const res = await api(`/v1/artists/${artistId}/webhooks`, { key, body: { url } });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; secret: string; url: string };
}

async function pendingDelivery(webhookId: string, artistId: string, payload: object): Promise<string> {
  const id = `dl_${crypto.randomUUID()}`;
  const now = Date.now();
  await insertDeliveries(createDb(env.DB), [
    { id, webhookId, artistId, event: 'alert.created', payload: JSON.stringify({ id, ...payload }), createdAt: now },
  ]);
  return id;
}

describe('Webhook rules', () => {
  it('Should take https anywhere and plain http only on localhost or 127.0.0.1', () => {
    expect(webhookUrlProblem('https://example.com/hook')).toBeNull();
    expect(webhookUrlProblem('http://localhost:4123/hook')).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:4123/hook')).toBeNull();
    expect(webhookUrlProblem('http://example.com/hook')?.code).toBe('insecure_url');
    expect(webhookUrlProblem('ftp://example.com')?.code).toBe('insecure_url');
    expect(webhookUrlProblem('https://user:pw@example.com')?.code).toBe('invalid_url');
    expect(webhookUrlProblem('not a url')?.code).toBe('invalid_url');
  });

  it('Should accept every URL the documented pattern allows, and the pattern refuse plain http elsewhere', () => {
    const pattern = new RegExp(WEBHOOK_URL_PATTERN);
    fc.assert(
      fc.property(fc.stringMatching(pattern), (url) => webhookUrlProblem(url) === null),
      { numRuns: 500 },
    );
    expect(pattern.test('https://hooks.example.com/backbeat?x=1')).toBe(true);
    expect(pattern.test('http://127.0.0.1:4123/hook')).toBe(true);
    expect(pattern.test('http://example.com/hook')).toBe(false);
  });

  it('Should verify a signature with its secret and refuse another secret, a changed body or a stale time', async () => {
    const body = '{"id":"d1"}';
    const header = await signatureHeader('whsec_right', body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(await verifySignature('whsec_right', body, header, 1_800_000_010)).toBe(true);
    expect(await verifySignature('whsec_wrong', body, header, 1_800_000_010)).toBe(false);
    expect(await verifySignature('whsec_right', '{"id":"d2"}', header, 1_800_000_010)).toBe(false);
    expect(await verifySignature('whsec_right', body, header, 1_800_001_000)).toBe(false);
  });

  it('Should back off exponentially', () => {
    expect([1, 2, 3, 4].map(backoffSeconds)).toEqual([30, 60, 120, 240]);
    expect(backoffSeconds(20)).toBe(3600);
  });
});

describe('Webhook API and deliveries', () => {
  it('Should show the secret once, list webhooks without it, and reject an insecure URL by field', async () => {
    await seedArtist(A, [{ id: `${P}-t1` }]);
    const key = await mintKey('artist', [A]);
    const hook = await registerWebhook(A, key);
    expect(hook.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const list = await api(`/v1/artists/${A}/webhooks`, { key });
    const text = await list.text();
    expect(text).not.toContain(hook.secret);
    expect(JSON.parse(text).webhooks).toEqual([expect.objectContaining({ id: hook.id, url: 'http://localhost:8/hook' })]);

    const bad = await api(`/v1/artists/${A}/webhooks`, { key, body: { url: 'http://example.com/hook' } });
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as ErrorEnvelope;
    expect(err.error.details?.issues?.[0]).toMatchObject({ path: 'json.url', code: 'invalid_format' });
  });

  it('Should deliver a body signed with the webhook secret, which another secret does not verify', async () => {
    const key = await mintKey('artist', [A]);
    const hook = await registerWebhook(A, key);
    const id = await pendingDelivery(hook.id, A, { event: 'alert.created', alert: { metric: 'streams' } });
    const received: { url: string; body: string; signature: string }[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      received.push({ url, body: String(init.body), signature: new Headers(init.headers).get('Backbeat-Signature') ?? '' });
      return new Response('ok', { status: 200 });
    });
    const calls = await consume(id);
    expect(calls).toEqual({ ack: 1, retries: [] });
    expect(received).toHaveLength(1);
    const now = Math.floor(Date.now() / 1000);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ id, alert: { metric: 'streams' } });
    expect(await verifySignature(hook.secret, received[0]!.body, received[0]!.signature, now)).toBe(true);
    expect(await verifySignature(`${hook.secret}x`, received[0]!.body, received[0]!.signature, now)).toBe(false);

    const delivered = await api(`/v1/artists/${A}/webhooks/deliveries?status=delivered`, { key });
    const rows = ((await delivered.json()) as { deliveries: { id: string; attempts: number; last_status: number }[] }).deliveries;
    expect(rows.find((r) => r.id === id)).toMatchObject({ attempts: 1, last_status: 200 });
    // A duplicate message for a finished delivery sends nothing more.
    expect(await consume(id)).toEqual({ ack: 1, retries: [] });
    expect(received).toHaveLength(1);
  });

  it('Should retry a failing receiver with growing delays and dead-letter the delivery after the last attempt', async () => {
    const key = await mintKey('artist', [A]);
    const hook = await registerWebhook(A, key);
    const id = await pendingDelivery(hook.id, A, { event: 'alert.created' });
    let hits = 0;
    vi.stubGlobal('fetch', async () => {
      hits += 1;
      return new Response('down', { status: 503 });
    });
    const delays: (number | undefined)[] = [];
    let acks = 0;
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const calls = await consume(id);
      delays.push(...calls.retries);
      acks += calls.ack;
    }
    expect(hits).toBe(MAX_ATTEMPTS);
    expect(delays).toEqual([30, 60, 120, 240]);
    expect(acks).toBe(1);
    const failed = await api(`/v1/artists/${A}/webhooks/deliveries?status=failed`, { key });
    const rows = ((await failed.json()) as { deliveries: Record<string, unknown>[] }).deliveries;
    expect(rows).toEqual([
      expect.objectContaining({ id, status: 'failed', attempts: MAX_ATTEMPTS, last_status: 503, last_error: 'receiver answered 503' }),
    ]);
  });

  it('Should count a network failure as a failed attempt', async () => {
    const key = await mintKey('artist', [A]);
    const hook = await registerWebhook(A, key);
    const id = await pendingDelivery(hook.id, A, { event: 'alert.created' });
    vi.stubGlobal('fetch', async () => Promise.reject(new TypeError('connection refused')));
    expect(await consume(id)).toEqual({ ack: 0, retries: [30] });
  });

  it('Should queue a ping to one of its own webhooks, and answer 404 for another artist’s', async () => {
    const key = await mintKey('artist', [A]);
    const hook = await registerWebhook(A, key);
    const ping = await api(`/v1/artists/${A}/webhooks/${hook.id}/test`, { key, method: 'POST' });
    expect(ping.status).toBe(202);
    const { delivery_id } = (await ping.json()) as { delivery_id: string };
    const list = await api(`/v1/artists/${A}/webhooks/deliveries`, { key });
    const rows = ((await list.json()) as { deliveries: { id: string; event: string; webhook_id: string }[] }).deliveries;
    expect(rows.find((r) => r.id === delivery_id)).toMatchObject({ event: 'webhook.ping', webhook_id: hook.id });
    const other = await api(`/v1/artists/${A}/webhooks/wh_missing/test`, { key, method: 'POST' });
    expect(other.status).toBe(404);
  });

  it('Should answer another artist’s webhook exactly as a missing one, and delete its own', async () => {
    await seedArtist(B, [{ id: `${P}-t2` }]);
    const keyA = await mintKey('artist', [A]);
    const keyB = await mintKey('artist', [B]);
    const hookB = await registerWebhook(B, keyB);
    const foreign = await api(`/v1/artists/${A}/webhooks/${hookB.id}`, { method: 'DELETE', key: keyA });
    const missing = await api(`/v1/artists/${A}/webhooks/wh_missing`, { method: 'DELETE', key: keyA });
    expect([foreign.status, missing.status]).toEqual([404, 404]);
    expect(((await foreign.json()) as ErrorEnvelope).error.code).toBe(((await missing.json()) as ErrorEnvelope).error.code);
    const own = await api(`/v1/artists/${B}/webhooks/${hookB.id}`, { method: 'DELETE', key: keyB });
    expect(own.status).toBe(204);
    const left = await api(`/v1/artists/${B}/webhooks`, { key: keyB });
    expect(((await left.json()) as { webhooks: unknown[] }).webhooks).toEqual([]);
  });
});
