/**
 * The editor section's calls: editorial playlists (list, read, create, save, publish, unpublish,
 * archive, numbers) and the catalogue search they are built from. Editor and admin keys. Shapes are
 * the generated OpenAPI types; a refused write keeps the API's issues, so the form can show each
 * next to the field it names.
 */
import type { Issue, PlaylistBody } from '../editorial.ts';
import { ApiRequestError, api, type Schemas, unwrap } from './client.ts';

export type EditorialPlaylist = Schemas['EditorialPlaylist'];
export type EditorialStats = Schemas['EditorialStats'];
export type CatalogueTrack = Schemas['TrackSearch']['tracks'][number];
export type ListFilter = 'current' | 'draft' | 'published' | 'archived';

/** An ApiRequestError with the issues of a 400 (`details.issues`), each naming a field by its path. */
export class ApiFieldError extends ApiRequestError {
  readonly issues: Issue[];
  constructor(e: ApiRequestError, issues: Issue[]) {
    super(e.status, e.code, e.message);
    this.name = 'ApiFieldError';
    this.issues = issues;
  }
}

function issuesOf(error: unknown): Issue[] {
  const issues = (error as { error?: { details?: { issues?: unknown } } } | undefined)?.error?.details?.issues;
  return Array.isArray(issues) ? (issues as Issue[]) : [];
}

/** unwrap(), keeping the issues of a refused request. */
function unwrapFields<T>(result: { data?: T; error?: unknown; response: Response }): T {
  try {
    return unwrap(result);
  } catch (e) {
    if (e instanceof ApiRequestError) throw new ApiFieldError(e, issuesOf(result.error));
    throw e;
  }
}

/** Drafts and published playlists (`current`), or those of one status. */
export async function listEditorial(filter: ListFilter = 'current'): Promise<EditorialPlaylist[]> {
  const query = filter === 'current' ? {} : { status: filter };
  return unwrap(await api.GET('/v1/editorial/playlists', { params: { query } })).playlists;
}

export async function fetchEditorial(id: string): Promise<EditorialPlaylist> {
  return unwrap(await api.GET('/v1/editorial/playlists/{id}', { params: { path: { id } } }));
}

/** Creates a draft. */
export async function createEditorial(body: PlaylistBody): Promise<EditorialPlaylist> {
  return unwrapFields(await api.POST('/v1/editorial/playlists', { body }));
}

/** Saves the whole form (the track list in its order). A published playlist stays published. */
export async function saveEditorial(id: string, body: PlaylistBody): Promise<EditorialPlaylist> {
  return unwrapFields(await api.PATCH('/v1/editorial/playlists/{id}', { params: { path: { id } }, body }));
}

export type StatusAction = 'publish' | 'unpublish' | 'archive';

export async function changeStatus(id: string, action: StatusAction): Promise<EditorialPlaylist> {
  const opts = { params: { path: { id } } };
  if (action === 'publish') return unwrapFields(await api.POST('/v1/editorial/playlists/{id}/publish', opts));
  if (action === 'unpublish') return unwrapFields(await api.POST('/v1/editorial/playlists/{id}/unpublish', opts));
  return unwrapFields(await api.POST('/v1/editorial/playlists/{id}/archive', opts));
}

export async function fetchEditorialStats(id: string, days: number): Promise<EditorialStats> {
  return unwrap(await api.GET('/v1/editorial/playlists/{id}/stats', { params: { path: { id }, query: { days } } }));
}

/** Tracks whose title or artist contains `q`, titles starting with it first. */
export async function searchCatalogue(q: string, signal?: AbortSignal, limit = 20): Promise<CatalogueTrack[]> {
  return unwrap(await api.GET('/v1/tracks', { params: { query: { q, limit } }, ...(signal ? { signal } : {}) })).tracks;
}
