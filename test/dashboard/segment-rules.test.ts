import { describe, expect, it } from 'vitest';
import { buildRule, defaultValues, RULE_KINDS, ruleKind } from '../../dashboard/src/lib/segment-rules.ts';

describe('segment rules', () => {
  it('Should offer every rule type with defaults inside their bounds', () => {
    expect(RULE_KINDS.map((k) => k.type)).toEqual(['completed_not_saved', 'lapsed', 'super_listeners', 'lookalike']);
    for (const k of RULE_KINDS) for (const f of k.fields) expect(f.default).toBeGreaterThanOrEqual(f.min);
  });

  it('Should build the rule the API expects from the typed values', () => {
    expect(buildRule('lapsed', 'a1', defaultValues('lapsed'))).toEqual({
      ok: true,
      rule: { type: 'lapsed', artist_id: 'a1', min_streams: 3, active_days: 90, lapsed_days: 28 },
    });
  });

  it('Should name the field that is empty, fractional or out of bounds, before any request', () => {
    expect(buildRule('lookalike', 'a1', { size: null, window_days: 90 })).toEqual({
      ok: false,
      message: 'Audience size: enter a whole number',
    });
    expect(buildRule('lookalike', 'a1', { size: 1.5, window_days: 90 })).toMatchObject({ ok: false });
    expect(buildRule('completed_not_saved', 'a1', { min_completions: 3, window_days: 400 })).toEqual({
      ok: false,
      message: 'Window (days): between 1 and 365',
    });
  });

  it('Should fall back to the first rule kind for an unknown type', () => {
    expect(ruleKind('nope' as never).type).toBe('completed_not_saved');
  });
});
