import { describe, expect, it } from 'vitest';
import { api } from './helpers.ts';

/** What every response the Worker code makes must carry, whatever its status or content type. */
const COMMON: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

function expectCommonHeaders(res: Response) {
  for (const [name, value] of Object.entries(COMMON)) expect(res.headers.get(name), name).toBe(value);
  const permissions = res.headers.get('permissions-policy') ?? '';
  for (const feature of ['camera=()', 'microphone=()', 'geolocation=()']) expect(permissions).toContain(feature);
}

function expectApiHeaders(res: Response) {
  expectCommonHeaders(res);
  expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
}

describe('Security headers', () => {
  it('Should set them on a JSON 200', async () => {
    const res = await api('/v1/admin/keys');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expectApiHeaders(res);
    const spec = await api('/v1/openapi.json', { key: null });
    expect(spec.status).toBe(200);
    expectApiHeaders(spec);
  });

  it('Should set them on a 401 for a missing key', async () => {
    const res = await api('/v1/me', { key: null });
    expect(res.status).toBe(401);
    expectApiHeaders(res);
  });

  it('Should set them on a 400 validation error and on a 404', async () => {
    const invalid = await api('/v1/admin/keys', { body: { role: 'nobody' } });
    expect(invalid.status).toBe(400);
    expectApiHeaders(invalid);
    const missing = await api('/v1/no-such-route');
    expect(missing.status).toBe(404);
    expectApiHeaders(missing);
    const underDocs = await api('/docs/no-such-page', { key: null });
    expect(underDocs.status).toBe(404);
    expectApiHeaders(underDocs);
  });

  it('Should set them on /healthz', async () => {
    const res = await api('/healthz', { key: null });
    expect(res.status).toBe(200);
    expectApiHeaders(res);
  });

  it('Should let /docs load its one inline style by a nonce that changes per request, and nothing else', async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await api('/docs', { key: null });
      expect(res.status).toBe(200);
      expectCommonHeaders(res);
      const csp = res.headers.get('content-security-policy') ?? '';
      const nonce = /style-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce, csp).toBeTruthy();
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('script-src');
      const html = await res.text();
      // every <style> carries the header's nonce; the page has no script at all
      expect(html.match(/<style[^>]*>/g)).toEqual([`<style nonce="${nonce}">`]);
      expect(html).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
      nonces.push(nonce!);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });
});
