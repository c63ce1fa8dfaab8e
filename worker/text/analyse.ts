/**
 * Sentiment and descriptive terms of a text, with wink-nlp and its English lite web model (MIT; the
 * model ships inside the npm package as JSON, nothing is downloaded). It runs inside workerd: the
 * worker tests call it through POST /v1/texts.
 *
 * The model (about 3.5 MB of JSON) is imported on first use, not at startup, and kept for the
 * isolate's life: requests that never read text do not pay for it. Loading takes about 0.3 s of CPU
 * on the development machine; a text of a few thousand words then takes milliseconds.
 */
import type { ItsHelpers } from 'wink-nlp';

type Nlp = { readDoc: (text: string) => WinkDoc; its: ItsHelpers };
// The few calls used here, typed loosely: wink's own types describe its chained API in generics.
interface WinkDoc {
  out: (f?: unknown) => unknown;
  sentences: () => { each: (f: (s: { out: (f?: unknown) => unknown }) => void) => void };
  tokens: () => { out: (f?: unknown) => unknown };
}

let loading: Promise<Nlp> | undefined;

/** The one wink instance of the isolate, loaded on first use. */
function nlp(): Promise<Nlp> {
  loading ??= (async () => {
    const [{ default: winkNLP }, { default: model }] = await Promise.all([import('wink-nlp'), import('wink-eng-lite-web-model')]);
    // Only the stages used: sentence boundaries, negation, sentiment and part of speech (NER and custom entities skipped).
    return winkNLP(model, ['sbd', 'negation', 'sentiment', 'pos']) as unknown as Nlp;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

export interface SentenceSentiment {
  /** [start, end) character offsets in the text. */
  start: number;
  end: number;
  /** wink's sentence sentiment in [-1, 1]. */
  sentiment: number;
}

export interface TermOccurrence {
  /** Lower case; hyphenated compounds kept whole ("lo-fi"). */
  term: string;
  start: number;
}

export interface TextAnalysis {
  /** Whole-text sentiment in [-1, 1]. */
  sentiment: number;
  sentences: SentenceSentiment[];
  /** Candidate descriptive terms: adjectives and music descriptors, negated ones ("not dreamy") left out. */
  terms: TermOccurrence[];
}

/** Adjectives that describe nothing about a sound. */
const GENERIC = new Set(
  `new old first last next other own same more most much many few several good great best better bad worse worst big small
  little long short high low early late whole full real true sure only certain such next last final previous recent latest
  main major minor own single double total overall entire possible likely different similar various whole able free ready
  live own annual weekly monthly daily young`.split(/\s+/),
);
/** Descriptors the POS tagger often reads as nouns or verbs. */
const MUSIC_TERMS = new Set(
  `lo-fi hi-fi shoegaze synthpop synth-pop dream-pop post-punk post-rock indie-pop art-pop noise-pop trip-hop slowcore
  ambient downtempo anthemic cinematic brooding shimmering swirling hypnotic euphoric haunting lush hazy icy glitchy
  jangly fuzzy woozy breezy chilled mellow`.split(/\s+/),
);

/**
 * Reads a text's sentiment, sentence by sentence, and its candidate descriptive terms.
 *
 * @example (await analyseText('A dreamy, lo-fi record.')).terms.map((t) => t.term) // ['dreamy', 'lo-fi']
 */
export async function analyseText(text: string): Promise<TextAnalysis> {
  const { readDoc, its } = await nlp();
  const doc = readDoc(text);
  const values = doc.tokens().out(its.value) as string[];
  const pos = doc.tokens().out(its.pos) as string[];
  const negated = doc.tokens().out(its.negationFlag) as boolean[];
  const stop = doc.tokens().out(its.stopWordFlag) as boolean[];
  // wink gives token values, not offsets: find each in order.
  const starts: number[] = [];
  let at = 0;
  for (const v of values) {
    const found = text.indexOf(v, at);
    starts.push(found < 0 ? at : found);
    if (found >= 0) at = found + v.length;
  }
  const sentences: SentenceSentiment[] = [];
  doc.sentences().each((s) => {
    const [first, last] = s.out(its.span) as [number, number];
    sentences.push({
      start: starts[first] ?? 0,
      end: (starts[last] ?? 0) + (values[last]?.length ?? 0),
      sentiment: s.out(its.sentiment) as number,
    });
  });
  const terms: TermOccurrence[] = [];
  for (let i = 0; i < values.length; i += 1) {
    const v = (values[i] ?? '').toLowerCase();
    // "lo - fi" written "lo-fi": three tokens with nothing between them.
    const next = values[i + 1];
    const after = values[i + 2];
    const start = starts[i] ?? 0;
    if (next === '-' && after && starts[i + 1] === start + v.length && starts[i + 2] === start + v.length + 1) {
      const compound = `${v}-${after.toLowerCase()}`;
      if (/^\p{L}+-\p{L}+$/u.test(compound) && (MUSIC_TERMS.has(compound) || pos[i + 2] === 'ADJ' || pos[i] === 'ADJ')) {
        if (!negated[i]) terms.push({ term: compound, start });
        i += 2;
        continue;
      }
    }
    const descriptive = (pos[i] === 'ADJ' && !stop[i] && !GENERIC.has(v) && v.length >= 3) || MUSIC_TERMS.has(v);
    if (descriptive && /^\p{L}+$/u.test(v) && !negated[i]) terms.push({ term: v, start });
  }
  return { sentiment: doc.out(its.sentiment) as number, sentences, terms };
}
