import { z } from '@hono/zod-openapi';
import { Id } from './event.ts';

export const MAX_USERS_PER_BATCH = 500;

/** True when the runtime knows the IANA zone (Intl throws a RangeError otherwise). */
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const UserInputSchema = z
  .strictObject({
    id: Id.openapi({ example: 'u-42' }),
    timezone: z
      .string()
      .max(64)
      .refine(isTimeZone, 'timezone must be an IANA time zone such as Europe/Berlin')
      .optional()
      .openapi({ description: 'IANA time zone; the listening clock uses it', example: 'Europe/Berlin' }),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code such as DE')
      .optional()
      .openapi({ example: 'DE' }),
  })
  .openapi('UserInput');

export type UserInput = z.output<typeof UserInputSchema>;

export const UserBatchSchema = z.object({ users: z.array(UserInputSchema).min(1).max(MAX_USERS_PER_BATCH) }).openapi('UserBatch');
