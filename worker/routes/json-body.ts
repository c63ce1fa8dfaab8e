import type { Context } from 'hono';
import { ApiError } from '../errors.ts';

/** Parses the JSON body or throws 400 `invalid_json`; bodies over the limit were refused earlier. */
export async function readJsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!type.includes('application/json')) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  try {
    return await c.req.json();
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not valid JSON');
  }
}

/** Reads `{ [field]: [...] }` and checks the batch size, naming the field in errors. */
export function batchItems(body: unknown, field: string, max: number): unknown[] {
  const items = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
  if (!Array.isArray(items)) {
    throw new ApiError(400, 'invalid_request', `The body must be an object with an array "${field}"`, {
      issues: [{ path: field, code: 'invalid_type', message: `Expected an array of ${field}` }],
    });
  }
  const extra = Object.keys(body as Record<string, unknown>).filter((k) => k !== field);
  if (extra.length > 0) {
    throw new ApiError(400, 'invalid_request', `Unknown field${extra.length > 1 ? 's' : ''}: ${extra.join(', ')}`, {
      issues: extra.map((k) => ({ path: k, code: 'unrecognized_keys', message: `Unknown field ${k}` })),
    });
  }
  if (items.length === 0 || items.length > max) {
    throw new ApiError(400, 'invalid_batch_size', `A batch holds 1 to ${max} ${field}; this one has ${items.length}`, {
      issues: [{ path: field, code: 'too_big', message: `Expected 1 to ${max} items, got ${items.length}` }],
    });
  }
  return items;
}
