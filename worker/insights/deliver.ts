/**
 * One attempt at one webhook delivery: sign, POST, record the outcome. The queue consumer
 * (worker/jobs/deliver-webhooks.ts) turns the outcome into an ack or a delayed retry.
 */
import type { Db } from '../db/client.ts';
import { deliveryToSend, recordAttempt } from '../db/insights.ts';
import { backoffSeconds, DELIVERY_TIMEOUT_MS, MAX_ATTEMPTS, SIGNATURE_HEADER, signatureHeader } from './webhooks.ts';

export type AttemptOutcome =
  /** 2xx: done. */
  | { kind: 'delivered'; attempts: number }
  /** Failed, attempts remain: retry after `delaySeconds`. */
  | { kind: 'retry'; attempts: number; delaySeconds: number; error: string }
  /** Failed for the last time: dead-lettered (status failed). */
  | { kind: 'dead'; attempts: number; error: string }
  /** Nothing to do: the delivery or its webhook is gone, or it already finished (a duplicate message). */
  | { kind: 'gone' };

export interface DeliverDeps {
  db: Db;
  fetch: typeof fetch;
  /** Wall clock (ms); the signature's `t` is its second. */
  now: () => number;
}

/**
 * Attempts a delivery once. A redirect counts as a failure (the receiver must answer itself); so do
 * a timeout and a network error.
 */
export async function attemptDelivery(deps: DeliverDeps, deliveryId: string): Promise<AttemptOutcome> {
  const d = await deliveryToSend(deps.db, deliveryId);
  if (d?.status !== 'pending') return { kind: 'gone' };
  const attempts = d.attempts + 1;
  const sentAt = deps.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await deps.fetch(d.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Backbeat-Webhooks/1',
        [SIGNATURE_HEADER]: await signatureHeader(d.secret, d.payload, Math.floor(sentAt / 1000)),
        'Backbeat-Delivery': d.id,
        'Backbeat-Event': d.event,
      },
      body: d.payload,
    });
    status = res.status;
    // The body is not needed; cancel it so the connection is released.
    await res.body?.cancel();
    if (!res.ok) error = `receiver answered ${res.status}`;
  } catch (err) {
    error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
  const at = deps.now();
  if (error === null) {
    await recordAttempt(deps.db, { id: d.id, attempts, status: 'delivered', lastStatus: status, lastError: null, at });
    return { kind: 'delivered', attempts };
  }
  const dead = attempts >= MAX_ATTEMPTS;
  await recordAttempt(deps.db, { id: d.id, attempts, status: dead ? 'failed' : 'pending', lastStatus: status, lastError: error, at });
  return dead ? { kind: 'dead', attempts, error } : { kind: 'retry', attempts, delaySeconds: backoffSeconds(attempts), error };
}
