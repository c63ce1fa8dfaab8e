/** Root token the worker tests authenticate with: a test-only binding value, not a real secret. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';
