/** Root token the worker tests authenticate with: a test-only binding value, not a real secret. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/** The per-key budget (requests per 10 s) of the `worker-rate-limit` test project, instead of wrangler.toml's 3 000. */
export const RATE_LIMIT_IN_TEST = 5;
