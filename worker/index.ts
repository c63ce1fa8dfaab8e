import { refreshStaleAnalytics } from './analytics/scheduled.ts';
import { app } from './app.ts';
import { archiveOnSchedule } from './archive/scheduled.ts';

export { RollupApplier } from './rollups/applier.ts';

export default {
  fetch: app.fetch,
  // Rollups first: the archive only moves days whose rollups are current. archiveOnSchedule never throws.
  scheduled: async (controller, env) => {
    try {
      await refreshStaleAnalytics(env, controller.scheduledTime);
    } finally {
      await archiveOnSchedule(env, controller.scheduledTime);
    }
  },
} satisfies ExportedHandler<Env>;
