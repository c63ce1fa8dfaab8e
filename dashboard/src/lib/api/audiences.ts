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
