import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { DomainError } from '../contract/domain-error.ts';
import type { AppEnv } from './env.ts';
import { logger } from './log.ts';

/** One problem with one field of a request, addressed by its path (`events[3].ts`). */
export interface FieldIssue {
  path: string;
  code: string;
  message: string;
}

/**
 * The only error type handlers throw. `onError` renders it as
 * `{ "error": { "code", "message", "details"? } }` with its status.
 *
 * @example throw new ApiError(404, 'track_not_found', `No track with id ${id}`)
 */
export class ApiError extends HTTPException {
  readonly code: string;
  readonly details: unknown;

  constructor(status: ContentfulStatusCode, code: string, message: string, details?: unknown) {
    super(status, { message });
    this.code = code;
    this.details = details;
  }
}

/** Renders a zod path such as ['events', 3, 'context', 'source'] as `events[3].context.source`. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

export function zodIssues(error: ZodError, prefix = ''): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] =>
    // Unknown fields are named one by one (`json.colour`), like unknown query parameters.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key], prefix), code: issue.code, message: `Unknown field ${key}` }))
      : [{ path: formatPath(issue.path, prefix), code: issue.code, message: issue.message }],
  );
}

export function validationError(issues: FieldIssue[], message = 'The request is invalid'): ApiError {
  return new ApiError(400, 'invalid_request', message, { issues });
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function renderError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof DomainError) {
    // Bundle, archive and other domain errors: mapped here once, never by hand in a route.
    if (err.status >= 500) logger({ requestId: c.get('requestId') }).error(err.message, err, { method: c.req.method, path: c.req.path });
    return c.json(errorBody(err.code, err.message, err.details ?? undefined), err.status);
  }
  if (err instanceof ApiError) {
    return c.json(errorBody(err.code, err.message, err.details), err.status);
  }
  if (err instanceof HTTPException) {
    // Raised by Hono middleware (body limit, malformed JSON): keep its status, give it a code.
    const code = err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthorized' : 'bad_request';
    return c.json(errorBody(code, err.message || 'Bad request'), err.status);
  }
  logger({ requestId: c.get('requestId') }).error('unhandled error', err, { method: c.req.method, path: c.req.path });
  return c.json(errorBody('internal_error', `Internal error; quote request id ${c.get('requestId')}`), 500);
}
