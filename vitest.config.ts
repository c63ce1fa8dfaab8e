import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { RATE_LIMIT_IN_TEST, TEST_ADMIN_TOKEN } from './test/worker/constants.ts';

export default defineConfig(async () => {
  const migrations = await readD1Migrations('migrations');
  return {
    test: {
      projects: [
        {
          // Worker code runs inside workerd, with the real bindings of wrangler.toml (local D1/R2).
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: { bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: TEST_ADMIN_TOKEN } },
            }),
          ],
          test: {
            name: 'worker',
            include: ['test/worker/**/*.test.ts'],
            exclude: ['test/worker/rate-limit/**'],
            setupFiles: ['./test/worker/apply-migrations.ts'],
          },
        },
        {
          // The per-key budget, lowered through configuration so a test can spend it (wrangler.toml has 3 000 per 10 s).
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: TEST_ADMIN_TOKEN },
                ratelimits: { RATE_LIMITER: { namespace_id: '1001', simple: { limit: RATE_LIMIT_IN_TEST, period: 10 } } },
              },
            }),
          ],
          test: {
            name: 'worker-rate-limit',
            include: ['test/worker/rate-limit/**/*.test.ts'],
            setupFiles: ['./test/worker/apply-migrations.ts'],
          },
        },
        {
          // Trainer, scripts and dashboard modules run in Node.
          test: {
            name: 'node',
            include: ['test/db/**/*.test.ts', 'test/models/**/*.test.ts', 'test/scripts/**/*.test.ts', 'test/dashboard/**/*.test.ts'],
            environment: 'node',
            testTimeout: 120_000,
          },
        },
        {
          // The dashboard in Debian's chromium against `wrangler dev` (on a port the OS picks), after the other projects.
          test: {
            name: 'e2e',
            include: ['test/e2e/**/*.test.ts'],
            environment: 'node',
            pool: 'forks',
            fileParallelism: false,
            sequence: { groupOrder: 1 },
            testTimeout: 120_000,
            hookTimeout: 300_000,
          },
        },
      ],
    },
  };
});
