import { refreshStaleAnalytics } from './analytics/scheduled.ts';
import { app } from './app.ts';

export { RollupApplier } from './rollups/applier.ts';

export default {
  fetch: app.fetch,
  scheduled: (controller, env) => refreshStaleAnalytics(env, controller.scheduledTime),
} satisfies ExportedHandler<Env>;
