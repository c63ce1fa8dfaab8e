import { DomainError } from './domain-error.ts';

/**
 * The one error type of model bundles: parsing, verifying and loading all throw it. `field` is the
 * manifest path at fault (e.g. `sha256.scorer.onnx`); a client sees 400 `invalid_bundle` naming it.
 */
export class BundleError extends DomainError {
  readonly field: string;
  /** The message without the `model bundle: field:` prefix, for wrapping in a more specific field. */
  readonly reason: string;
  constructor(field: string, message: string) {
    const full = `model bundle: ${field}: ${message}`;
    super('invalid_bundle', 400, full, { issues: [{ path: field, code: 'bundle_contract', message: full }] });
    this.name = 'BundleError';
    this.field = field;
    this.reason = message;
  }
}
