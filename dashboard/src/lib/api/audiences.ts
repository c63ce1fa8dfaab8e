/**
 * Marketer reads and writes: segments (estimate, save, list, export) and campaigns with their
 * lift reports. Shapes are the generated OpenAPI types.
 */
import { api, downloadCsv, type Schemas, unwrap } from './client.ts';

export type SegmentRule = Schemas['SegmentRule'];
export type SegmentSummary = Schemas['SegmentSummary'];
export type Segment = Schemas['Segment'];
export type Campaign = Schemas['Campaign'];
export type CampaignReport = Schemas['CampaignReport'];
export type Lift = Schemas['Lift'];

export async function estimateSegment(rule: SegmentRule, signal?: AbortSignal): Promise<number> {
  return unwrap(await api.POST('/v1/segments/estimate', { body: { rule }, ...(signal ? { signal } : {}) })).size;
}

export async function saveSegment(name: string, rule: SegmentRule): Promise<Segment> {
  return unwrap(await api.POST('/v1/segments', { body: { name, rule } }));
}

export async function listSegments(): Promise<SegmentSummary[]> {
  return unwrap(await api.GET('/v1/segments')).segments;
}

/** The members' pseudonymous ids as CSV. */
export function exportSegment(s: { id: string; name: string }): Promise<void> {
  const safe = s.name.replace(/[^\w-]+/g, '-').replace(/^-|-$/g, '') || s.id;
  return downloadCsv(`/v1/segments/${encodeURIComponent(s.id)}/export`, {}, `segment-${safe}.csv`);
}

export async function listCampaigns(): Promise<Campaign[]> {
  return unwrap(await api.GET('/v1/campaigns')).campaigns;
}

export async function fetchCampaignReport(id: string): Promise<CampaignReport> {
  return unwrap(await api.GET('/v1/campaigns/{id}/report', { params: { path: { id } } }));
}

export type CampaignCreate = Schemas['CampaignCreateRequest'];

export async function createCampaign(body: CampaignCreate): Promise<Campaign> {
  return unwrap(await api.POST('/v1/campaigns', { body }));
}

/** One segment with its current size (GET /v1/segments/{id}). */
export async function fetchSegment(id: string, signal?: AbortSignal): Promise<Segment> {
  return unwrap(await api.GET('/v1/segments/{id}', { params: { path: { id } }, signal }));
}

/** Track titles by id (GET /v1/tracks/{id} each, a few at a time); an id the key may not read keeps itself as title. */
export async function trackTitles(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const titles = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const id = unique[next++]!;
      try {
        titles.set(id, unwrap(await api.GET('/v1/tracks/{id}', { params: { path: { id } }, signal })).title);
      } catch {
        titles.set(id, id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, unique.length) }, worker));
  return titles;
}
