/**
 * The key roles, written once (the keys table, the auth layer and the API's enums read this list).
 * - admin: everything; app: the listener-facing API (events, catalogue, recommendations, playlists);
 * - artist / marketer: one or more artists' analytics (marketers also audiences and campaigns);
 * - editor: editorial playlists and the catalogue they are built from, no artist's analytics.
 */
export const ROLES = ['admin', 'app', 'artist', 'marketer', 'editor'] as const;
export type Role = (typeof ROLES)[number];
