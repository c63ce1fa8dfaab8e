/**
 * What an importer skipped and why: counts per reason with a few examples (file and line), so a bad
 * line is reported, never fatal.
 */
export interface Issue {
  file: string;
  line: number;
  reason: string;
}

export class IssueLog {
  readonly counts = new Map<string, number>();
  readonly examples = new Map<string, Issue[]>();

  add(file: string, line: number, reason: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    const ex = this.examples.get(reason) ?? [];
    if (ex.length < 3) ex.push({ file, line, reason });
    this.examples.set(reason, ex);
  }

  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  /** One line per reason, most frequent first, with example locations. */
  describe(): string[] {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1])
      .map(
        ([reason, n]) =>
          `${String(n).padStart(8)} × ${reason}  (e.g. ${(this.examples.get(reason) ?? []).map((e) => `${e.file}:${e.line}`).join(', ')})`,
      );
  }
}

/** Stable short id from text (FNV-1a, base 36): ids for names that come without one. */
export function textId(text: string): string {
  let h = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h = Math.imul(h ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (h >>> 0).toString(36) + (h2 >>> 0).toString(36);
}
