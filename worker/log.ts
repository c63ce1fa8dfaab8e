/**
 * One JSON logger for the Worker: every line carries what it belongs to, the request id of a request
 * or the name of a job, so `wrangler tail` and Workers Logs can filter by either. An error's message,
 * code and stack are spelled out (JSON.stringify drops them).
 */

export type LogScope = { requestId: string } | { job: string; scheduledTime?: number };
type Level = 'info' | 'warn' | 'error';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  /** `err` (when given) adds `error: { message, code, stack }`. */
  error(message: string, err?: unknown, fields?: Record<string, unknown>): void;
}

function describe(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const code = (err as { code?: unknown }).code;
  return { message: err.message, ...(typeof code === 'string' ? { code } : {}), stack: err.stack };
}

/**
 * @example logger({ requestId: c.get('requestId') }).error('impression log failed', err, { recId });
 * // {"level":"error","requestId":"…","message":"impression log failed","recId":"…","error":{"message":"…"}}
 */
export function logger(scope: LogScope): Logger {
  const write = (level: Level, message: string, fields: Record<string, unknown> | undefined, err?: unknown) => {
    const line = JSON.stringify({ level, ...scope, message, ...fields, ...(err === undefined ? {} : { error: describe(err) }) });
    if (level === 'error') console.error(line);
    else if (level === 'warn') console.warn(line);
    else console.log(line);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, err, fields) => write('error', message, fields, err),
  };
}
