import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './worker/db/schema.ts',
  out: './migrations',
  // Flat `NNNN_name.sql` files: the layout both `wrangler d1 migrations` and readD1Migrations read.
  migrations: { prefix: 'index' },
});
