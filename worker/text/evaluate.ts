/**
 * Precision and recall of the linker on labelled texts. Pure: the caller reads the fixtures.
 *
 * A text's truth is the set of entities it mentions (`artist:<id>`, `track:<id>`); the linker's answer
 * is the set it links. Over all texts (micro-averaged):
 *   precision = |linked ∩ truth| ÷ |linked|   (1 when nothing is linked)
 *   recall    = |linked ∩ truth| ÷ |truth|    (1 when nothing is to be found)
 */
import { buildLinkIndex, type LinkCatalogue, linkMentions } from './link.ts';

export interface LabelledText {
  id: string;
  title: string;
  body: string;
  /** `artist:<id>` or `track:<id>`. */
  mentions: string[];
  note?: string;
}

export interface LinkerScore {
  texts: number;
  precision: number;
  recall: number;
  truePositives: number;
  linked: number;
  expected: number;
  /** Texts where the linker disagrees with the labels. */
  errors: { id: string; missed: string[]; spurious: string[]; note?: string }[];
}

/**
 * Scores the linker against labelled texts.
 *
 * @example evaluateLinker(catalogue, [{ id: 'x', title: 'Nova', body: 'Nova sings.', mentions: ['artist:a1'] }]).recall // 1
 */
export function evaluateLinker(catalogue: LinkCatalogue, texts: readonly LabelledText[]): LinkerScore {
  const index = buildLinkIndex(catalogue);
  let tp = 0;
  let linked = 0;
  let expected = 0;
  const errors: LinkerScore['errors'] = [];
  for (const t of texts) {
    const got = new Set(linkMentions(index, t).map((m) => `${m.kind}:${m.id}`));
    const truth = new Set(t.mentions);
    const hits = [...got].filter((k) => truth.has(k)).length;
    tp += hits;
    linked += got.size;
    expected += truth.size;
    if (hits !== got.size || hits !== truth.size) {
      errors.push({
        id: t.id,
        missed: [...truth].filter((k) => !got.has(k)),
        spurious: [...got].filter((k) => !truth.has(k)),
        ...(t.note ? { note: t.note } : {}),
      });
    }
  }
  return {
    texts: texts.length,
    precision: linked === 0 ? 1 : tp / linked,
    recall: expected === 0 ? 1 : tp / expected,
    truePositives: tp,
    linked,
    expected,
    errors,
  };
}

/** Reads a JSON-lines fixture (one labelled text per non-empty line). */
export function parseLabelled(jsonl: string): LabelledText[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as LabelledText);
}
