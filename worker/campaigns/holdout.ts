/**
 * Deterministic treatment assignment: FNV-1a of `campaignId:userId` mapped to [0, 1). The same user
 * always lands in the same group of a campaign, and groups of different campaigns are independent.
 *
 * @example isHoldout('cmp_1', 'u-42', 0.1) // true for about 10 % of users
 */
export function isHoldout(campaignId: string, userId: string, holdoutShare: number): boolean {
  return assignmentUnit(`${campaignId}:${userId}`) < holdoutShare;
}

/** A uniform-looking number in [0, 1) from a string (32-bit FNV-1a with a final avalanche). */
export function assignmentUnit(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // FNV's low bits mix poorly on short keys; murmur3's finaliser spreads them.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}
