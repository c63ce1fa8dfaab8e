/**
 * Webhook rules, once: which URLs may receive, how a delivery is signed, how long to wait before the
 * next attempt. Pure apart from Web Crypto.
 *
 * Signing (Stripe's scheme): `Backbeat-Signature: t=<unix seconds>,v1=<hex>` where the hex is
 * HMAC-SHA256(secret, `${t}.${body}`). A receiver recomputes it over the raw body and rejects a `t`
 * too far from its clock, which stops replays.
 */

export const SIGNATURE_HEADER = 'Backbeat-Signature';
/** Attempts before a delivery is dead-lettered (status `failed`). */
export const MAX_ATTEMPTS = 5;
/** Wait before attempt n + 1 after n failures: 30 s, 60 s, 120 s, 240 s …, at most an hour. */
export const BACKOFF_BASE_SECONDS = 30;
export const BACKOFF_MAX_SECONDS = 3600;
/** Webhooks one artist may register. */
export const MAX_WEBHOOKS_PER_ARTIST = 5;
/** How long one attempt may take before it counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** @example backoffSeconds(1) // 30, backoffSeconds(3) // 120 */
export function backoffSeconds(failedAttempts: number): number {
  return Math.min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, failedAttempts - 1));
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why a URL may not receive webhooks, or null when it may: https only, except plain http to
 * localhost or 127.0.0.1 (local receivers in tests and development); no credentials in the URL.
 */
export function webhookUrlProblem(raw: string): { code: string; message: string } | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { code: 'invalid_url', message: 'must be an absolute URL' };
  }
  if (url.username || url.password) return { code: 'invalid_url', message: 'must not carry a user name or password' };
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)) return null;
  return { code: 'insecure_url', message: 'must use https (plain http only to localhost or 127.0.0.1)' };
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** A new signing secret: `whsec_` and 32 random bytes in hex. */
export function newSecret(): string {
  return `whsec_${hex(crypto.getRandomValues(new Uint8Array(32)).buffer as ArrayBuffer)}`;
}

async function hmacHex(secret: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await crypto.subtle.sign('HMAC', key, enc.encode(message)));
}

/**
 * The signature header of `body` at `unixSeconds`.
 *
 * @example await signatureHeader('whsec_…', '{"id":"d1"}', 1_796_000_000) // 't=1796000000,v1=5f0c…'
 */
export async function signatureHeader(secret: string, body: string, unixSeconds: number): Promise<string> {
  return `t=${unixSeconds},v1=${await hmacHex(secret, `${unixSeconds}.${body}`)}`;
}

/**
 * What a receiver does: true when `header` signs `body` with `secret` and its time is within
 * `toleranceSeconds` of `nowSeconds`. Compares in constant time.
 */
export async function verifySignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Promise<boolean> {
  const parts = new Map(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = await hmacHex(secret, `${t}.${body}`);
  if (expected.length !== v1.length) return false;
  const enc = new TextEncoder();
  return crypto.subtle.timingSafeEqual(enc.encode(expected), enc.encode(v1));
}
