import type { MiddlewareHandler } from 'hono';
import { NONCE, secureHeaders } from 'hono/secure-headers';

/**
 * Security headers on every response the Worker code makes: the JSON API, its errors (401, 404,
 * 429, 500 come from `onError`/`notFound`, which run inside this middleware), /healthz and /docs.
 * The dashboard is served by the static assets layer, not by this code: its headers are in
 * dashboard/static/_headers and its CSP <meta> comes from `csp` in dashboard/vite.config.ts.
 *
 * Referrer-Policy is no-referrer: nothing the Worker serves needs the Referer (the API
 * authenticates by bearer key and checks no Origin), and /docs links only to its own origin.
 * Strict-Transport-Security is ignored by browsers over plain http (wrangler dev on localhost).
 */
const COMMON = {
  strictTransportSecurity: 'max-age=31536000; includeSubDomains',
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  crossOriginOpenerPolicy: 'same-origin',
  crossOriginResourcePolicy: 'same-origin',
  xContentTypeOptions: 'nosniff',
  // Nothing here uses a powerful feature: deny the ones a page could ask for.
  permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [], fullscreen: [] },
};

/** JSON needs no fetch of any kind and must never be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

const apiHeaders = secureHeaders({
  ...COMMON,
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
});

/**
 * The reference page (worker/docs/render-reference.ts) is one HTML document with one inline
 * <style> and no script, image or font: its <style> carries this request's nonce, nothing else loads.
 */
const docsHeaders = secureHeaders({
  ...COMMON,
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: [NONCE],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
});

export const DOCS_PATH = '/docs';

export const securityHeaders: MiddlewareHandler = (c, next) => (c.req.path === DOCS_PATH ? docsHeaders(c, next) : apiHeaders(c, next));
