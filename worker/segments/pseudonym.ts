const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let k = keys.get(secret);
  if (!k) {
    k = crypto.subtle.importKey('raw', encoder.encode(`backbeat-segment-export:${secret}`), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    keys.set(secret, k);
  }
  return k;
}

/**
 * A stable pseudonymous id for an exported user: HMAC-SHA-256 of the user id under a deployment
 * secret, 32 hex characters. The same user gets the same id in every export of one deployment, and
 * only the holder of the secret can map it back.
 *
 * @example await pseudonymousId('u-42', env.ADMIN_TOKEN) // '3f9c…' (32 hex)
 */
export async function pseudonymousId(userId: string, secret: string): Promise<string> {
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(userId)));
  return Array.from(sig.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}
