/**
 * The one shape of every batch write (`POST /v1/events`, `PUT /v1/tracks`, `PUT /v1/users`): a JSON
 * object with one array, each item validated on its own so one bad item never costs the good ones;
 * 422 when none is valid, 207 when some were rejected, 200 when all were accepted.
 */
import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError, type FieldIssue, zodIssues } from '../errors.ts';
import { errorResponse } from '../schemas/error.ts';
import { batchItems, readJsonBody } from './json-body.ts';

/** A rejected item: its index, its id under the batch's own id field (`event_id`, `id`) and why. */
export type Rejected<K extends string> = { index: number; errors: FieldIssue[] } & Record<K, string | null>;

export interface BatchSpec<S extends z.ZodType, K extends string> {
  /** Name of the array in the body, and the prefix of error paths (`events[3].ts`). */
  field: string;
  max: number;
  schema: S;
  /** The item's id field, echoed in rejections so clients can match them. */
  idKey: K;
  /** Singular noun for messages ("event", "listener"). */
  noun: string;
  /** Checks that need more than the item (the caller's role, the clock): issues with paths relative to the item. */
  check?: (item: z.output<S>) => FieldIssue[];
}

/**
 * Validates every item of a batch on its own. Paths in errors are absolute (`events[3].ts`).
 *
 * @example validateEach([{ id: 1 }], TrackInputSchema, 'tracks', 'id') // { valid: [], rejected: [{ index: 0, id: null, errors }] }
 */
export function validateEach<S extends z.ZodType, K extends string>(
  items: readonly unknown[],
  schema: S,
  field: string,
  idKey: K,
  check?: (item: z.output<S>) => FieldIssue[],
): { valid: z.output<S>[]; rejected: Rejected<K>[] } {
  const valid: z.output<S>[] = [];
  const rejected: Rejected<K>[] = [];
  items.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    const prefix = `${field}[${index}]`;
    const errors = parsed.success
      ? (check?.(parsed.data) ?? []).map((i) => ({ ...i, path: i.path ? `${prefix}.${i.path}` : prefix }))
      : zodIssues(parsed.error, prefix);
    if (parsed.success && errors.length === 0) {
      valid.push(parsed.data);
      return;
    }
    const raw = item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[idKey] : undefined;
    const id = typeof raw === 'string' ? raw : null;
    rejected.push({ index, [idKey]: id, errors } as Rejected<K>);
  });
  return { valid, rejected };
}

/**
 * Reads and validates a batch body; throws 400 for a malformed body or batch size and 422
 * (`all_<field>_rejected`) when no item is valid.
 */
export async function readBatch<S extends z.ZodType, K extends string>(
  c: Context<AppEnv>,
  spec: BatchSpec<S, K>,
): Promise<{ valid: z.output<S>[]; rejected: Rejected<K>[] }> {
  const items = batchItems(await readJsonBody(c), spec.field, spec.max);
  const result = validateEach(items, spec.schema, spec.field, spec.idKey, spec.check);
  if (result.valid.length === 0) {
    throw new ApiError(422, `all_${spec.field}_rejected`, `No ${spec.noun} in the batch is valid`, { rejected: result.rejected });
  }
  return result;
}

/** 200 when every item was accepted, 207 when some were rejected (the others are stored). */
export const batchStatus = (rejected: readonly unknown[]) => (rejected.length > 0 ? 207 : 200);

/** The OpenAPI responses every batch write shares. */
export function batchResponses(result: z.ZodType, one: string, many: string) {
  const json = { 'application/json': { schema: result } };
  return {
    200: { description: `Every ${one} accepted`, content: json },
    207: { description: `Some ${many} rejected; the others are stored`, content: json },
    400: errorResponse('Malformed body or batch size'),
    422: errorResponse(`No ${one} in the batch is valid`),
  };
}
