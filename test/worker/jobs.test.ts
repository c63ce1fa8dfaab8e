/**
 * worker/jobs/: one dispatch for crons and queues; a job logs and never throws out of it.
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CRON_JOBS, queue, runJob, scheduled } from '../../worker/jobs/index.ts';

function captureErrors(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe('Jobs', () => {
  it('Should run the next job after one throws, logging the failure with the job name', async () => {
    const lines = captureErrors();
    const ran: string[] = [];
    const failing = { name: 'always-fails', run: async () => Promise.reject(new Error('boom')) };
    const after = { name: 'after', run: async () => void ran.push('after') };
    expect(await runJob(failing, env, 1)).toBe(false);
    expect(await runJob(after, env, 1)).toBe(true);
    expect(ran).toEqual(['after']);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', job: 'always-fails', error: { message: 'boom' } });
  });

  it('Should log an unknown cron instead of throwing, and list the crons it knows', async () => {
    const lines = captureErrors();
    await scheduled({ cron: '0 0 31 2 *', scheduledTime: Date.now(), noRetry() {} } as ScheduledController, env);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', crons: Object.keys(CRON_JOBS) });
  });

  it('Should retry a batch of a queue that has no consumer rather than acknowledge (and lose) it', async () => {
    const lines = captureErrors();
    let retried = 0;
    let acked = 0;
    const batch = {
      queue: 'no-such-queue',
      messages: [{ id: 'm1', body: {} }],
      retryAll: () => void retried++,
      ackAll: () => void acked++,
    } as unknown as MessageBatch<unknown>;
    await queue(batch, env);
    expect({ retried, acked }).toEqual({ retried: 1, acked: 0 });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', job: 'queue:no-such-queue', messages: 1 });
  });
});
