/**
 * Artist insights: what drives reach, alerts and their webhooks, the release benchmark, audience
 * depth and per-track timelines. Shapes are the generated OpenAPI types; every read takes an
 * AbortSignal so a superseded load stops at once.
 */
import type { DateRange } from '../range.ts';
import { api, type Schemas, unwrap } from './client.ts';

export type ReachDrivers = Schemas['ReachDrivers'];
export type Compared = Schemas['ComparedValue'];
export type Contribution = Schemas['ReachContribution'];
export type AlertList = Schemas['AlertList'];
export type Alert = Schemas['Alert'];
export type Webhook = Schemas['Webhook'];
export type WebhookCreated = Schemas['WebhookCreated'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type Benchmark = Schemas['ReleaseBenchmark'];
export type AudienceDepth = Schemas['AudienceDepth'];
export type Timeline = Schemas['TrackTimeline'];
export type DeliveryStatus = WebhookDelivery['status'];

type Range = Pick<DateRange, 'from' | 'to'>;
const q = (r: Range) => ({ from: r.from, to: r.to });

export async function fetchReachDrivers(id: string, r: Range, signal?: AbortSignal): Promise<ReachDrivers> {
  return unwrap(await api.GET('/v1/artists/{id}/insights/reach', { params: { path: { id }, query: q(r) }, signal }));
}

export async function fetchAlerts(id: string, r: Range, signal?: AbortSignal): Promise<AlertList> {
  return unwrap(await api.GET('/v1/artists/{id}/alerts', { params: { path: { id }, query: q(r) }, signal }));
}

export async function fetchAudienceDepth(id: string, r: Range, signal?: AbortSignal): Promise<AudienceDepth> {
  const res = await api.GET('/v1/artists/{id}/insights/audience', { params: { path: { id }, query: q(r) }, signal });
  return unwrap(res) as unknown as AudienceDepth;
}

export async function fetchTimeline(id: string, trackId: string, r: Range, signal?: AbortSignal): Promise<Timeline> {
  return unwrap(await api.GET('/v1/artists/{id}/tracks/{trackId}/timeline', { params: { path: { id, trackId }, query: q(r) }, signal }));
}

export async function fetchBenchmark(id: string, trackId: string, signal?: AbortSignal): Promise<Benchmark> {
  return unwrap(await api.GET('/v1/artists/{id}/tracks/{trackId}/benchmark', { params: { path: { id, trackId } }, signal }));
}

export async function listWebhooks(id: string, signal?: AbortSignal): Promise<Webhook[]> {
  return unwrap(await api.GET('/v1/artists/{id}/webhooks', { params: { path: { id } }, signal })).webhooks;
}

export async function createWebhook(id: string, url: string): Promise<WebhookCreated> {
  return unwrap(await api.POST('/v1/artists/{id}/webhooks', { params: { path: { id } }, body: { url } }));
}

export async function deleteWebhook(id: string, webhookId: string): Promise<void> {
  const res = await api.DELETE('/v1/artists/{id}/webhooks/{webhookId}', { params: { path: { id, webhookId } } });
  if (!res.response.ok) unwrap(res);
}

export async function testWebhook(id: string, webhookId: string): Promise<string> {
  return unwrap(await api.POST('/v1/artists/{id}/webhooks/{webhookId}/test', { params: { path: { id, webhookId } } })).delivery_id;
}

export async function listDeliveries(id: string, status?: DeliveryStatus, signal?: AbortSignal): Promise<WebhookDelivery[]> {
  const query = status ? { status, limit: 50 } : { limit: 50 };
  return unwrap(await api.GET('/v1/artists/{id}/webhooks/deliveries', { params: { path: { id }, query }, signal })).deliveries;
}
