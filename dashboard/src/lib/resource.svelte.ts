/**
 * One asynchronous read a view shows: loading, ready (with data) or error (with the message).
 * A newer load supersedes an older one still in flight, so a fast range change never shows stale data.
 *
 * @example
 * const overview = new Resource<Overview>();
 * $effect(() => { const a = session.artistId; overview.load(() => fetchOverview(a)); });
 */
export class Resource<T> {
  status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  data = $state.raw<T | undefined>(undefined);
  error = $state<string | null>(null);
  #seq = 0;
  #last: (() => Promise<T>) | null = null;

  async load(fetcher: () => Promise<T>): Promise<void> {
    const seq = ++this.#seq;
    this.#last = fetcher;
    this.status = 'loading';
    this.error = null;
    try {
      const data = await fetcher();
      if (seq !== this.#seq) return;
      this.data = data;
      this.status = 'ready';
    } catch (e) {
      if (seq !== this.#seq) return;
      this.error = e instanceof Error ? e.message : String(e);
      this.status = 'error';
    }
  }

  /** Repeats the last load (the "Try again" button). */
  retry(): void {
    if (this.#last) void this.load(this.#last);
  }
}
