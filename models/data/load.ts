/**
 * Picks the training source named on the command line and returns it in the trainer's one shape.
 */
import { DEFAULT_EVENT_WEIGHTS, DEFAULT_HALF_LIFE_DAYS, type EventWeights } from '../../contract/events.ts';
import type { ItemContent } from './content-rows.ts';
import type { Interactions } from './interactions.ts';
import { readHetrec } from './read-hetrec.ts';
import { readInteractionsCsv } from './read-interactions-csv.ts';
import { attachContent, readItemsCsv } from './read-items-csv.ts';
import { findLocalD1, readLocalD1 } from './read-local-d1.ts';

/** What the trainer trains on: interactions, optional content, and how events became strengths. */
export interface TrainingInput {
  interactions: Interactions;
  /** aligned with interactions.itemIds when given */
  content?: ItemContent[];
  eventWeights: EventWeights;
  halfLifeDays: number;
  /** where the data came from, for the manifest */
  data: string;
  /**
   * Listening sessions as item indices, oldest play first (session/sessions.ts), when the source
   * has timestamps: the bundle then carries the next-track transitions (transitions.bin).
   */
  sessions?: Int32Array[];
}

export interface SourceOptions {
  interactions?: string;
  hetrec?: string;
  fromLocal?: boolean;
  persistTo?: string;
  items?: string;
  eventWeights?: EventWeights;
  halfLifeDays?: number;
}

/**
 * @example
 * const input = await loadTrainingInput({ interactions: 'plays.csv', items: 'tracks.csv' });
 */
export async function loadTrainingInput(o: SourceOptions): Promise<TrainingInput> {
  const eventWeights = o.eventWeights ?? { ...DEFAULT_EVENT_WEIGHTS };
  const halfLifeDays = o.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
  const named = [o.interactions, o.hetrec, o.fromLocal || undefined].filter((x) => x !== undefined);
  if (named.length !== 1) throw new Error('name exactly one source: --interactions FILE.csv, --hetrec DIR or --from-local');
  let input: TrainingInput;
  if (o.interactions) {
    input = { interactions: await readInteractionsCsv(o.interactions), eventWeights, halfLifeDays, data: `csv:${o.interactions}` };
  } else if (o.hetrec) {
    const h = await readHetrec(o.hetrec);
    input = { interactions: h.interactions, content: h.content, eventWeights, halfLifeDays, data: `hetrec:${o.hetrec}` };
  } else {
    const persistTo = o.persistTo ?? '.wrangler/state';
    const file = findLocalD1(persistTo);
    const local = await readLocalD1(file, eventWeights, halfLifeDays, persistTo);
    if (local.interactions.byUser.indices.length === 0) throw new Error(`no usable events in ${file} (${local.events} events read)`);
    input = {
      interactions: local.interactions,
      content: local.content,
      sessions: local.sessions,
      eventWeights,
      halfLifeDays,
      data: `local-d1:${file} (${local.events} events: ${local.hotEvents} hot from D1, ${local.archivedEvents} archived from R2 in ${local.archiveParts} parts)`,
    };
  }
  if (o.items) {
    const attached = attachContent(input.interactions, await readItemsCsv(o.items));
    input = { ...input, ...attached };
  }
  return input;
}
