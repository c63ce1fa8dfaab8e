import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { OPENAPI_PATH, openApiDocument } from './docs/openapi-document.ts';
import { renderReference, withStyleNonce } from './docs/render-reference.ts';
import { ApiError, errorBody, renderError } from './errors.ts';
import { authenticate } from './middleware/authenticate.ts';
import { knownQuery, type RegisteredRoute } from './middleware/known-query.ts';
import { rateLimitPerKey } from './middleware/rate-limit.ts';
import { DOCS_PATH, securityHeaders } from './middleware/security-headers.ts';
import { adminArchive } from './routes/admin-archive.ts';
import { adminAudit } from './routes/admin-audit.ts';
import { adminExperiments } from './routes/admin-experiments.ts';
import { adminKeys } from './routes/admin-keys.ts';
import { adminModels } from './routes/admin-models.ts';
import { adminServedLists } from './routes/admin-served-lists.ts';
import { analyticsAdmin, artistAnalytics } from './routes/analytics.ts';
import { artists } from './routes/artists.ts';
import { campaigns } from './routes/campaigns.ts';
import { editorial } from './routes/editorial.ts';
import { events } from './routes/events.ts';
import { imports } from './routes/imports.ts';
import { insights } from './routes/insights.ts';
import { me } from './routes/me.ts';
import { artistPlacementsRouter } from './routes/placements.ts';
import { playlists } from './routes/playlists.ts';
import { recommendations } from './routes/recommendations.ts';
import { newRouter } from './routes/router.ts';
import { segments } from './routes/segments.ts';
import { similar } from './routes/similar.ts';
import { artistBuzz, texts } from './routes/texts.ts';
import { trackAudio } from './routes/track-audio.ts';
import { tracks } from './routes/tracks.ts';
import { users } from './routes/users.ts';
import { MAX_BODY_BYTES } from './schemas/event.ts';

/** The longest URL accepted (every list a query can take fits; POST bodies carry more). */
export const MAX_URL_LENGTH = 8192;

export const app = newRouter();

// The routes never change while an isolate lives, so the document and its reference are built once.
let document: ReturnType<typeof openApiDocument> | undefined;
const servedDocument = () => {
  document ??= openApiDocument(app);
  return document;
};
// Compiled at the first request with a query string, from the registry (no document is generated).
const checkQuery = knownQuery(() =>
  app.openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? [d.route as RegisteredRoute] : [])),
);

// Outermost, so the headers land on every response, errors and 404s included.
app.use('*', securityHeaders);
app.use('*', requestId());
// A URL longer than any request of ours needs gets the error envelope here, before the platform's own
// limit (16 KB on Cloudflare) would answer with a bare 414.
app.use('*', async (c, next) => {
  if (c.req.url.length > MAX_URL_LENGTH) {
    throw new ApiError(
      414,
      'uri_too_long',
      `The URL is ${c.req.url.length} characters; at most ${MAX_URL_LENGTH} are accepted (send long lists in a POST body)`,
    );
  }
  await next();
});
const apiBodyLimit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', `The body exceeds ${MAX_BODY_BYTES} bytes (1 MB); send smaller batches`);
  },
});
// Model bundles and audio files are far larger than API bodies; those routes apply their own limits.
const TRACK_AUDIO_PATH = /^\/v1\/tracks\/[^/]+\/audio$/;
const ownBodyLimit = (method: string, path: string) =>
  (path === '/v1/admin/models' && method === 'POST') || (method === 'PUT' && TRACK_AUDIO_PATH.test(path));
app.use('/v1/*', async (c, next) => (ownBodyLimit(c.req.method, c.req.path) ? next() : apiBodyLimit(c, next)));
app.use('/v1/*', async (c, next) => (c.req.path === OPENAPI_PATH ? next() : authenticate(c, next)));
app.use('/v1/*', async (c, next) => (c.req.path === OPENAPI_PATH ? next() : rateLimitPerKey(c, next)));

// After authentication: a caller without a key learns nothing about which parameters a route takes.
app.use('/v1/*', async (c, next) => (c.req.path === OPENAPI_PATH ? next() : checkQuery(c, next)));

app.get('/healthz', (c) => c.json({ ok: true }));

app.route('/v1/events', events);
app.route('/v1/tracks', tracks);
app.route('/v1/tracks', trackAudio);
app.route('/v1/artists', artists);
app.route('/v1/artists', artistAnalytics);
app.route('/v1/artists', artistPlacementsRouter);
app.route('/v1/artists', artistBuzz);
app.route('/v1/texts', texts);
app.route('/v1/admin/analytics', analyticsAdmin);
app.route('/v1/segments', segments);
app.route('/v1/campaigns', campaigns);
app.route('/v1/editorial/playlists', editorial);
app.route('/v1/admin/keys', adminKeys);
app.route('/v1/admin/models', adminModels);
app.route('/v1/admin/archive', adminArchive);
app.route('/v1/admin/audit', adminAudit);
app.route('/v1/admin/experiments', adminExperiments);
app.route('/v1/admin/served-lists', adminServedLists);
app.route('/v1', recommendations);
app.route('/v1', playlists);
app.route('/v1', similar);
app.route('/v1/me', me);
app.route('/v1/users', users);
app.route('/v1/users', imports);
app.route('/v1', insights);

app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });

app.get(OPENAPI_PATH, (c) => c.json(servedDocument()));
let referenceHtml: string | undefined;
app.get(DOCS_PATH, (c) => {
  referenceHtml ??= renderReference(servedDocument() as unknown as Record<string, unknown>);
  // The page's one <style> carries the nonce its CSP names (set by the securityHeaders middleware).
  return c.html(withStyleNonce(referenceHtml, c.get('secureHeadersNonce') ?? ''));
});

app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
app.onError(renderError);

export type AppType = typeof app;
