import type { D1Migration } from '@cloudflare/vitest-plugin';

declare global {
  namespace Cloudflare {
    interface Env {
      /** Test-only binding: the migrations, applied by apply-migrations.ts. */
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
