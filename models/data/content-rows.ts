/**
 * What the content model knows about one item: numeric catalogue fields (audio features), a genre
 * and weighted tags. Readers fill it; models/train/content-features.ts turns it into feature columns.
 */
export interface ItemContent {
  numeric: Record<string, number | null>;
  genre: string | null;
  /** tag -> strength (a count of taggings, or 1) */
  tags: Map<string, number>;
}

export const emptyContent = (): ItemContent => ({ numeric: {}, genre: null, tags: new Map() });
