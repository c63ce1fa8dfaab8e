/**
 * One rule for every route: a query parameter the operation does not declare is refused (400,
 * `unrecognized_keys`, path `query.<name>`) rather than silently ignored, as unknown body fields are.
 * The declared parameters come from the routes' own query schemas (the registry the OpenAPI document
 * is generated from, without generating it), so a new route needs nothing here.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { validationError } from '../errors.ts';

/** A route as the OpenAPI registry holds it: full path (`/v1/users/{userId}/next`), method, query schema. */
export interface RegisteredRoute {
  method: string;
  path: string;
  request?: { query?: unknown };
}

interface Operation {
  method: string;
  pattern: RegExp;
  /** Path segments that are not parameters: the most specific template wins a tie. */
  literal: number;
  allowed: ReadonlySet<string>;
}

function compile(routes: readonly RegisteredRoute[]): Operation[] {
  const out: Operation[] = [];
  for (const route of routes) {
    const shape = (route.request?.query as { shape?: Record<string, unknown> } | undefined)?.shape;
    const segments = route.path.split('/').filter(Boolean);
    const pattern = new RegExp(
      `^/${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}/?$`,
    );
    const literal = segments.filter((s) => !/^\{.+\}$/.test(s)).length;
    out.push({ method: route.method.toUpperCase(), pattern, literal, allowed: new Set(Object.keys(shape ?? {})) });
  }
  // Most specific first: `/v1/users/{id}/playlists` before a template with more parameters.
  return out.sort((a, b) => b.literal - a.literal);
}

/** @example app.use('/v1/*', knownQuery(() => app.openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? [d.route] : [])))) */
export function knownQuery(routes: () => readonly RegisteredRoute[]) {
  let operations: Operation[] | null = null;
  return createMiddleware<AppEnv>(async (c, next) => {
    operations ??= compile(routes());
    const url = new URL(c.req.url);
    if (url.search.length > 1) {
      const op = operations.find((o) => o.method === c.req.method && o.pattern.test(url.pathname));
      if (op) {
        const unknown = [...new Set(url.searchParams.keys())].filter((k) => !op.allowed.has(k));
        if (unknown.length > 0) {
          throw validationError(
            unknown.map((k) => ({ path: `query.${k}`, code: 'unrecognized_keys', message: `Unknown query parameter ${k}` })),
            `Unknown query parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`,
          );
        }
      }
    }
    await next();
  });
}
