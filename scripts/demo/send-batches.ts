/**
 * Sends batches to a Backbeat batch endpoint with a few requests in flight, retrying what the server
 * may answer later (429, 5xx, connection errors) and reporting what it rejected for good.
 */

export interface BatchAnswer {
  /** Items the server accepted (stored or duplicates). */
  accepted: number;
  /** Items newly stored (events only; equals accepted for upserts). */
  stored: number;
  rejected: { index: number; id: string | null; errors: { path: string; message: string }[] }[];
}

export interface SendOptions {
  concurrency?: number;
  retries?: number;
  /** Called after each batch, in completion order. */
  onBatch?: (answer: BatchAnswer, size: number) => void;
}

export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** PUT/POSTs one batch `{ [field]: items }`; 422 (nothing valid) is an answer, not a failure. */
export async function sendBatch(
  url: string,
  key: string,
  method: 'PUT' | 'POST',
  path: string,
  field: string,
  items: unknown[],
  retries = 6,
): Promise<BatchAnswer> {
  for (let attempt = 0; ; attempt++) {
    let status = 0;
    let text = '';
    try {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ [field]: items }),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      text = String(err);
    }
    if (status === 200 || status === 207) {
      const body = JSON.parse(text) as { accepted: number; stored?: number; rejected: Record<string, unknown>[] };
      return { accepted: body.accepted, stored: body.stored ?? body.accepted, rejected: body.rejected.map(normaliseRejected) };
    }
    if (status === 422) {
      const body = JSON.parse(text) as { error: { details?: { rejected?: Record<string, unknown>[] } } };
      return { accepted: 0, stored: 0, rejected: (body.error.details?.rejected ?? []).map(normaliseRejected) };
    }
    const retryable = status === 0 || status === 429 || status >= 500;
    if (!retryable || attempt >= retries)
      throw new HttpError(status, `${method} ${path} answered ${status || 'no connection'}: ${text.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, Math.min(8000, 250 * 2 ** attempt)));
  }
}

function normaliseRejected(r: Record<string, unknown>): BatchAnswer['rejected'][number] {
  const id = (r.id ?? r.event_id ?? null) as string | null;
  return { index: Number(r.index), id, errors: (r.errors ?? []) as { path: string; message: string }[] };
}

/**
 * Sends every batch of `batches` (an iterable, consumed lazily so huge inputs stay out of memory)
 * with `concurrency` requests in flight. Resolves with the totals once all are answered.
 *
 * @example await sendAll(url, key, 'POST', '/v1/events', 'events', world.eventBatches(500), { concurrency: 4 })
 */
export async function sendAll(
  url: string,
  key: string,
  method: 'PUT' | 'POST',
  path: string,
  field: string,
  batches: Iterable<unknown[]> | AsyncIterable<unknown[]>,
  opts: SendOptions = {},
): Promise<{ batches: number; items: number; accepted: number; stored: number; rejected: BatchAnswer['rejected'] }> {
  // Async sources (a streamed multi-GB log) and in-memory ones alike; concurrent next() calls queue.
  const iterator = Symbol.asyncIterator in batches ? batches[Symbol.asyncIterator]() : batches[Symbol.iterator]();
  const totals = { batches: 0, items: 0, accepted: 0, stored: 0, rejected: [] as BatchAnswer['rejected'] };
  let failure: unknown;
  const worker = async () => {
    for (;;) {
      if (failure) return;
      const next = await iterator.next();
      if (next.done) return;
      const items = next.value;
      try {
        const answer = await sendBatch(url, key, method, path, field, items, opts.retries);
        totals.batches++;
        totals.items += items.length;
        totals.accepted += answer.accepted;
        totals.stored += answer.stored;
        // Keep a sample: a broken generator must not fill memory with rejection reports.
        if (totals.rejected.length < 1000) totals.rejected.push(...answer.rejected.slice(0, 1000 - totals.rejected.length));
        opts.onBatch?.(answer, items.length);
      } catch (err) {
        failure = err;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
  if (failure) throw failure;
  return totals;
}

/** Splits an async stream into chunks of `size`. */
export async function* chunksAsync<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Splits an array into chunks of `size`. */
export function* chunks<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
