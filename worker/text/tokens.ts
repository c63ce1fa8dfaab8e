/**
 * Word tokens of a text with their offsets and the facts the linker reads about each: its folded
 * form, its case, whether it opens a sentence and whether a quotation mark sits right before or after
 * it. Pure.
 */

export interface Token {
  /** The word as written. */
  raw: string;
  /** Lower case, Latin accents dropped, apostrophes dropped, a possessive `'s` removed. */
  norm: string;
  start: number;
  end: number;
  /** First letter upper case (or a digit-led word such as "22"). */
  capitalised: boolean;
  /** First word of the text, of a sentence, or of a line (titles and list items). */
  sentenceStart: boolean;
  /** Index of the sentence the token belongs to (title is sentence 0). */
  sentence: number;
  /** An opening quotation mark directly before the word. */
  quoteBefore: boolean;
  /** A closing quotation mark directly after the word (or after its trailing punctuation: `"Home,"`). */
  quoteAfter: boolean;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const OPEN_QUOTES = new Set(['"', '“', '‘', "'", '«', '„', '*', '_']);
const CLOSE_QUOTES = new Set(['"', '”', '’', "'", '»', '“', '*', '_']);

/**
 * Folds a word or a name for comparison: "Björk's" → "bjork", "Sigur Rós" → "sigur ros".
 *
 * @example fold('Beyoncé’s') // 'beyonce'
 */
export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/['’]/g, '');
}

/** The folded words of a name or title, as tokenize() would see them in running text. */
export function nameWords(name: string): string[] {
  return [...name.matchAll(WORD)].map((m) => fold(m[0])).filter((w) => w.length > 0);
}

/**
 * Splits a text into word tokens. Sentences end at `.`, `!`, `?` or a line break.
 *
 * @example tokenize('Nova played "Home".').map((t) => t.norm) // ['nova', 'played', 'home']
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let sentence = 0;
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    const end = start + m[0].length;
    const gap = text.slice(last, start);
    const boundary = tokens.length === 0 || /[.!?…]\s|[\n\r]|[.!?…]["”’)]?\s*$/.test(gap);
    if (boundary && tokens.length > 0) sentence += 1;
    const before = gap.trimEnd().slice(-1);
    const after = text
      .slice(end, end + 2)
      .replace(/^[,.;:!?]/, '')
      .slice(0, 1);
    const first = m[0].charAt(0);
    tokens.push({
      raw: m[0],
      norm: fold(m[0]),
      start,
      end,
      capitalised: first !== first.toLowerCase() || /\p{N}/u.test(first),
      sentenceStart: boundary,
      sentence,
      quoteBefore: gap.length > 0 && OPEN_QUOTES.has(gap.slice(-1)) && before !== '',
      quoteAfter: CLOSE_QUOTES.has(after),
    });
    last = end;
  }
  return tokens;
}
