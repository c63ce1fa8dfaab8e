import { app } from './app.ts';
import { queue, scheduled } from './jobs/index.ts';

export { RollupApplier } from './rollups/applier.ts';

export default {
  fetch: app.fetch,
  scheduled,
  queue,
} satisfies ExportedHandler<Env>;
