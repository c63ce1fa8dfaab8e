/**
 * The one error type of model bundles: parsing, verifying and loading all throw it. `field` is the
 * manifest path at fault (e.g. `sha256.scorer.onnx`).
 */
export class BundleError extends Error {
  readonly field: string;
  /** The message without the `model bundle: field:` prefix, for wrapping in a more specific field. */
  readonly reason: string;
  constructor(field: string, message: string) {
    super(`model bundle: ${field}: ${message}`);
    this.name = 'BundleError';
    this.field = field;
    this.reason = message;
  }
}
