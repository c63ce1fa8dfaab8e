/**
 * The one base of errors that cross a layer: a machine-readable `code`, the HTTP `status` it maps to
 * when it reaches a client, and optional `details` (the error envelope's). The Worker's error
 * handler renders every DomainError the same way, so no route translates one by hand; the trainer's
 * CLI prints the message.
 *
 * @example throw new DomainError('archive_corrupt', 500, 'not a readable Parquet file');
 */
export class DomainError extends Error {
  readonly code: string;
  readonly status: 400 | 404 | 409 | 413 | 422 | 500 | 503;
  readonly details: unknown;
  constructor(code: string, status: DomainError['status'], message: string, details?: unknown) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}
