import type { z } from '@hono/zod-openapi';
import { type FieldIssue, zodIssues } from '../errors.ts';

export interface Rejected {
  index: number;
  id: string | null;
  errors: FieldIssue[];
}

/**
 * Validates every item of a batch on its own, so one bad item never costs the good ones.
 * Paths in errors are absolute (`events[3].ts`).
 */
export function validateEach<S extends z.ZodType>(
  items: readonly unknown[],
  schema: S,
  field: string,
  idKey: string,
): { valid: z.output<S>[]; rejected: Rejected[] } {
  const valid: z.output<S>[] = [];
  const rejected: Rejected[] = [];
  items.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) {
      valid.push(parsed.data);
      return;
    }
    const raw = item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[idKey] : undefined;
    rejected.push({ index, id: typeof raw === 'string' ? raw : null, errors: zodIssues(parsed.error, `${field}[${index}]`) });
  });
  return { valid, rejected };
}
