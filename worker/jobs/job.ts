import type { Logger } from '../log.ts';

/** What a job gets: the bindings, the time it runs for, and a logger that carries its name. */
export interface JobContext {
  env: Env;
  /** The cron's scheduled time (ms): a job's clock, so a rerun of the same tick does the same work. */
  now: number;
  log: Logger;
}

/** A unit of background work. `run` may throw: the dispatcher logs it and goes on with the next job. */
export interface Job {
  name: string;
  run(ctx: JobContext): Promise<void>;
}

/** A queue consumer: handles one batch of its queue; a throw retries the whole batch. */
export interface QueueConsumer {
  name: string;
  consume(batch: MessageBatch<unknown>, ctx: JobContext): Promise<void>;
}
