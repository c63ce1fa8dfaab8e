/**
 * Long reads and writes run as many short statements with a yield between them.
 *
 * Measured on `wrangler dev` (README, "Heavy work and the database"): while one request ran 100
 * statements of ~9 ms back to back, a request that touches no database at all (`GET /healthz`)
 * waited 561 ms at the median, because the runtime resumes the chain of statements without
 * accepting new requests in between. With a timer yield after each statement the same probes took
 * 29–47 ms. D1 runs one statement at a time per database in production too, so the rule is the same
 * everywhere: no statement longer than tens of milliseconds, and a yield between slices.
 */

/**
 * Lets the runtime serve other requests before the next slice of a long job. A 2 ms timer rather
 * than 0: in bench:lookalike it took a heavy refresh's probes from p95 208 ms to 132 ms at the same
 * slice size.
 */
export function yieldToOthers(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2));
}
