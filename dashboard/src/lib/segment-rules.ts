/**
 * The segment builder's form: each rule type of the API with its labelled numeric fields, and
 * the rule object built from what the marketer typed. Bounds and defaults follow the API's rule
 * schemas (worker/segments/rules.ts), which validate again on every request.
 */
import type { SegmentRule } from './api/audiences.ts';

export type RuleType = SegmentRule['type'];

export interface RuleField {
  key: string;
  label: string;
  min: number;
  max: number;
  default: number;
}

export interface RuleKind {
  type: RuleType;
  label: string;
  description: string;
  fields: RuleField[];
}

export const RULE_KINDS: readonly RuleKind[] = [
  {
    type: 'completed_not_saved',
    label: 'Completed but never saved',
    description: 'Listeners who finished several plays of the artist in the window but never saved a track.',
    fields: [
      { key: 'min_completions', label: 'Completed plays, at least', min: 1, max: 10_000, default: 3 },
      { key: 'window_days', label: 'Window (days)', min: 1, max: 365, default: 28 },
    ],
  },
  {
    type: 'lapsed',
    label: 'Lapsed listeners',
    description: 'Listeners who streamed the artist before, then nothing in the last days.',
    fields: [
      { key: 'min_streams', label: 'Streams before, at least', min: 1, max: 10_000, default: 3 },
      { key: 'active_days', label: 'Active window (days)', min: 1, max: 365, default: 90 },
      { key: 'lapsed_days', label: 'Silent for (days)', min: 1, max: 365, default: 28 },
    ],
  },
  {
    type: 'super_listeners',
    label: 'Super listeners',
    description: 'Heavy listeners of the artist who have also saved tracks.',
    fields: [
      { key: 'min_streams', label: 'Streams in window, at least', min: 1, max: 100_000, default: 20 },
      { key: 'min_saves', label: 'Net saves, at least', min: 0, max: 10_000, default: 1 },
      { key: 'window_days', label: 'Window (days)', min: 1, max: 365, default: 28 },
    ],
  },
  {
    type: 'lookalike',
    label: 'Lookalikes',
    description: 'People who never played the artist but whose taste is closest to the artist’s listeners.',
    fields: [
      { key: 'size', label: 'Audience size', min: 1, max: 50_000, default: 1000 },
      { key: 'window_days', label: 'Taste window (days)', min: 1, max: 365, default: 90 },
    ],
  },
];

/** @example ruleKind('lapsed').fields.length // 3 */
export function ruleKind(type: RuleType): RuleKind {
  return RULE_KINDS.find((k) => k.type === type) ?? RULE_KINDS[0]!;
}

/** Default field values of a rule type. */
export function defaultValues(type: RuleType): Record<string, number> {
  return Object.fromEntries(ruleKind(type).fields.map((f) => [f.key, f.default]));
}

/**
 * The rule to send, or the first problem with the typed values (so no request is made for input
 * the API would refuse).
 * @example buildRule('lapsed', 'a1', { min_streams: 3, active_days: 90, lapsed_days: 28 })
 *   // { ok: true, rule: { type: 'lapsed', artist_id: 'a1', min_streams: 3, active_days: 90, lapsed_days: 28 } }
 */
export function buildRule(
  type: RuleType,
  artistId: string,
  values: Record<string, number | null | undefined>,
): { ok: true; rule: SegmentRule } | { ok: false; message: string } {
  const rule: Record<string, unknown> = { type, artist_id: artistId };
  for (const f of ruleKind(type).fields) {
    const v = values[f.key];
    if (v === null || v === undefined || !Number.isInteger(v)) return { ok: false, message: `${f.label}: enter a whole number` };
    if (v < f.min || v > f.max) return { ok: false, message: `${f.label}: between ${f.min} and ${f.max}` };
    rule[f.key] = v;
  }
  return { ok: true, rule: rule as SegmentRule };
}
