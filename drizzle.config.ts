import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  // One file per area (schema.ts for the core, schema-<area>.ts for the rest); one migration history.
  schema: './worker/db/schema*.ts',
  out: './migrations',
  // Flat `NNNN_name.sql` files: the layout both `wrangler d1 migrations` and readD1Migrations read.
  migrations: { prefix: 'index' },
});
