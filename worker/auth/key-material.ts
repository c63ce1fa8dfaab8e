/**
 * API key material. A key reads `bb_<id>_<secret>`: the id (12 chars) is a non-secret lookup prefix,
 * the secret carries 160 bits of randomness. Keys are random, not passwords, so one SHA-256 is the
 * right hash: a slow KDF would add latency to every request and no security.
 */
const ALPHABET = 'abcdefghijkmnopqrstuvwxyz23456789';

function randomString(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export interface NewKey {
  id: string;
  key: string;
}

export function generateKey(): NewKey {
  const id = randomString(12);
  return { id, key: `bb_${id}_${randomString(32)}` };
}

/** Splits a presented key into its lookup id, or null when it is not of our shape. */
export function parseKeyId(key: string): string | null {
  const m = /^bb_([a-z0-9]{12})_[a-z0-9]{32}$/.exec(key);
  return m ? (m[1] ?? null) : null;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Constant-time comparison of two equal-length hex digests. */
export function digestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const enc = new TextEncoder();
  return crypto.subtle.timingSafeEqual(enc.encode(a), enc.encode(b));
}
