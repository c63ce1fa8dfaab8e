/**
 * Splits a request's time into named phases for the Server-Timing header
 * (`history;dur=1.2, score;dur=0.8, …`). Workers freeze timers during pure computation in
 * production (Spectre mitigation), so in-request figures are exact only around I/O. Locally
 * (wrangler dev, tests) the clock runs but moves in whole milliseconds, so a phase reads 0, 1,
 * 2 ms…: read percentiles over many requests, and `npm run bench:recs -- --in-process` for the
 * same phases timed to the microsecond (the Worker's code run in Node).
 */
export class PhaseTimer {
  private readonly phases: Array<[string, number]> = [];
  private last = performance.now();
  private readonly start = this.last;

  /** Closes the current phase under `name`. */
  mark(name: string): void {
    const now = performance.now();
    this.phases.push([name, now - this.last]);
    this.last = now;
  }

  header(): string {
    const total = performance.now() - this.start;
    return [...this.phases, ['total', total] as [string, number]].map(([n, d]) => `${n};dur=${d.toFixed(2)}`).join(', ');
  }
}
