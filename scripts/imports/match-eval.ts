/**
 * Precision and recall of the track matcher on a labelled fixture of pairs
 * (test/scripts/imports/fixtures/match-pairs.json against match-catalogue.json).
 *
 * - precision = correct matches / matches returned (a match to the wrong track, or a match where the
 *   catalogue lacks the recording, is a false positive);
 * - recall = correct matches / pairs whose recording is in the catalogue.
 */
import { type CatalogueRow, createMatcher, type Match, type MatchQuery } from '../../worker/imports/match.ts';

export interface MatchPair {
  id: string;
  category: string;
  listen: MatchQuery;
  expected: string | null;
  note?: string;
}

export interface CategoryCounts {
  pairs: number;
  /** matched to the expected track */
  correct: number;
  /** matched to another track, or matched when nothing should */
  wrong: number;
  /** left unmatched although the catalogue has the recording */
  missed: number;
  /** correctly left unmatched */
  rejected: number;
}

export interface MatchEvaluation extends CategoryCounts {
  precision: number;
  recall: number;
  byCategory: Record<string, CategoryCounts>;
  byMethod: Record<Match['method'], number>;
  failures: { pair: MatchPair; got: Match | null }[];
}

export function evaluateMatcher(rows: CatalogueRow[], pairs: MatchPair[]): MatchEvaluation {
  const matcher = createMatcher(rows);
  const empty = (): CategoryCounts => ({ pairs: 0, correct: 0, wrong: 0, missed: 0, rejected: 0 });
  const total = empty();
  const byCategory: Record<string, CategoryCounts> = {};
  const byMethod: Record<Match['method'], number> = { isrc: 0, platform_id: 0, exact: 0, fuzzy: 0 };
  const failures: MatchEvaluation['failures'] = [];
  for (const pair of pairs) {
    const got = matcher.match(pair.listen);
    byCategory[pair.category] ??= empty();
    const counts = [total, byCategory[pair.category]!];
    let outcome: keyof CategoryCounts;
    if (got) byMethod[got.method]++;
    if (got && got.track_id === pair.expected) outcome = 'correct';
    else if (got) outcome = 'wrong';
    else if (pair.expected !== null) outcome = 'missed';
    else outcome = 'rejected';
    if (outcome === 'wrong' || outcome === 'missed') failures.push({ pair, got });
    for (const c of counts) {
      c.pairs++;
      c[outcome]++;
    }
  }
  const returned = total.correct + total.wrong;
  const positives = pairs.filter((p) => p.expected !== null).length;
  return {
    ...total,
    precision: returned === 0 ? 1 : total.correct / returned,
    recall: positives === 0 ? 1 : total.correct / positives,
    byCategory,
    byMethod,
    failures,
  };
}
