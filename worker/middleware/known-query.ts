/**
 * One rule for every route: a query parameter the operation does not declare is refused (400,
 * `unrecognized_keys`, path `query.<name>`) rather than silently ignored, as unknown body fields are.
 * The declared parameters come from the served OpenAPI document, so a new route needs nothing here.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { validationError } from '../errors.ts';

interface Document {
  paths?: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
}

interface Operation {
  method: string;
  pattern: RegExp;
  /** Path segments that are not parameters: the most specific template wins a tie. */
  literal: number;
  allowed: ReadonlySet<string>;
}

function compile(doc: Document): Operation[] {
  const out: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths ?? {})) {
    const segments = template.split('/').filter(Boolean);
    const pattern = new RegExp(
      `^/${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}/?$`,
    );
    const literal = segments.filter((s) => !/^\{.+\}$/.test(s)).length;
    for (const [method, op] of Object.entries(item)) {
      const allowed = new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
      out.push({ method: method.toUpperCase(), pattern, literal, allowed });
    }
  }
  // Most specific first: `/v1/users/{id}/playlists` before a template with more parameters.
  return out.sort((a, b) => b.literal - a.literal);
}

/** @example app.use('/v1/*', knownQuery(() => servedDocument())) */
export function knownQuery(document: () => unknown) {
  let operations: Operation[] | null = null;
  return createMiddleware<AppEnv>(async (c, next) => {
    operations ??= compile(document() as Document);
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
