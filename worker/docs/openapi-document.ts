/**
 * The served OpenAPI document: what the routes declare, plus what every operation shares because a
 * middleware, not the route, answers it (401 without a valid key, 429 over the rate limit, 413 for an
 * oversized body). Adding those here, once, keeps a new route from forgetting them, and keeps the
 * document fit for client generators (`redocly lint`, run by `npm run lint:openapi`).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import { MAX_BODY_BYTES } from '../schemas/event.ts';

export const OPENAPI_PATH = '/v1/openapi.json';

const CONFIG: Parameters<OpenAPIHono['getOpenAPI31Document']>[0] = {
  openapi: '3.1.0',
  info: {
    title: 'Backbeat',
    version: '1',
    description: 'Listening events in, personalised recommendations and artist analytics out.',
    // Backbeat is not open source (package.json is private; there is no LICENSE file). OpenAPI 3.1
    // takes an SPDX `identifier`, which the 3.0 types of @hono/zod-openapi do not know yet.
    license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' } as { name: string },
  },
  // Relative, so the document is right on every deployment that serves it (local, preview, production).
  servers: [{ url: '/', description: 'The deployment serving this document' }],
};

type Responses = Record<string, unknown>;
type Operation = { responses?: Responses; requestBody?: unknown; parameters?: unknown[] };

const errorRef = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const SHARED: Record<string, ReturnType<typeof errorRef>> = {
  401: errorRef('No key, a malformed key, or a revoked one (code unauthorized)'),
  429: errorRef('Over the per-key rate limit, or too many failed authentications from this address; see Retry-After'),
};
const TOO_LARGE = errorRef(`The body exceeds ${MAX_BODY_BYTES} bytes (code payload_too_large)`);
const INVALID = errorRef('An invalid parameter or body; details.issues[].path names the field');
const NOT_ADMIN = errorRef('Only admin keys (code forbidden)');

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every operation of `doc`, for checks and tests: `[method, path, operation]`. */
export function operations(doc: { paths?: Record<string, Record<string, unknown>> }): [string, string, Operation][] {
  const out: [string, string, Operation][] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) if (item[method]) out.push([method, path, item[method] as Operation]);
  }
  return out;
}

/**
 * Builds the document once per isolate (routes never change while it lives).
 *
 * @example app.get(OPENAPI_PATH, (c) => c.json(openApiDocument(app)));
 */
export function openApiDocument(app: OpenAPIHono<AppEnv>): ReturnType<OpenAPIHono['getOpenAPI31Document']> {
  const doc = app.getOpenAPI31Document(CONFIG);
  for (const [, path, op] of operations(doc as never)) {
    // Every /v1 route but this document sits behind authenticate and rateLimitPerKey (worker/app.ts).
    op.responses ??= {};
    const responses = op.responses;
    for (const [status, res] of Object.entries(SHARED)) responses[status] ??= res;
    if (op.requestBody) responses['413'] ??= TOO_LARGE;
    if (op.requestBody || (op.parameters?.length ?? 0) > 0) responses['400'] ??= INVALID;
    // The admin routers gate on requireRoles('admin') before any handler runs.
    if (path.startsWith('/v1/admin/')) responses['403'] ??= NOT_ADMIN;
  }
  return doc;
}
