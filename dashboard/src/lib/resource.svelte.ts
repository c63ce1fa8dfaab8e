/**
 * One asynchronous read a view shows: loading, ready (with data) or error (with the message).
 *
 * A newer load supersedes an older one still in flight: the older request is aborted (its
 * AbortSignal fires, so the browser drops it at once) and its answer, if any, is ignored. Each load
 * names what it asks for with a `key` (artist, range, track…): when the key changes, the old data is
 * dropped at once and the view shows that it is loading, so new labels never sit over old figures.
 * A load with the same key (a retry, a refresh after a save) keeps the old data on screen, dimmed.
 *
 * @example
 * const overview = new Resource<Overview>();
 * $effect(() => {
 *   const a = session.artistId, r = session.range;
 *   overview.load((signal) => fetchOverview(a, r, signal), requestKey(a, r.from, r.to));
 *   return () => overview.abort();
 * });
 */
export class Resource<T> {
  status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  data = $state.raw<T | undefined>(undefined);
  error = $state<string | null>(null);
  /** The key of the request `data` answered (undefined for loads without one). */
  key = $state<string | undefined>(undefined);
  #seq = 0;
  #last: { fetcher: (signal: AbortSignal) => Promise<T>; key: string | undefined } | null = null;
  #controller: AbortController | null = null;

  async load(fetcher: (signal: AbortSignal) => Promise<T>, key?: string): Promise<void> {
    const seq = ++this.#seq;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.#last = { fetcher, key };
    if (key !== this.key) {
      // Another artist, range or track: the figures on screen would answer a different question.
      this.data = undefined;
      this.key = key;
    }
    this.status = 'loading';
    this.error = null;
    try {
      const data = await fetcher(controller.signal);
      if (seq !== this.#seq || controller.signal.aborted) return;
      this.data = data;
      this.status = 'ready';
    } catch (e) {
      if (seq !== this.#seq || controller.signal.aborted) return;
      this.error = e instanceof Error ? e.message : String(e);
      this.status = 'error';
    }
  }

  /** Aborts the load in flight (a view's $effect returns this as its cleanup). */
  abort(): void {
    this.#controller?.abort();
  }

  /** Repeats the last load (the "Try again" button). */
  retry(): void {
    if (this.#last) void this.load(this.#last.fetcher, this.#last.key);
  }
}

/** The key of a request, from what it depends on. @example requestKey('a1', '2026-11-01', '2026-11-28') // 'a1|2026-11-01|2026-11-28' */
export function requestKey(...parts: (string | number | null | undefined)[]): string {
  return parts.map((p) => String(p ?? '')).join('|');
}
