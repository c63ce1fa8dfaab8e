import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { BundleError, MANIFEST_FILE, type Manifest, openBundle, parseManifest } from '../../contract/bundle-manifest.ts';
import { allow } from '../auth/scope.ts';
import { recordAudit } from '../db/audit.ts';
import { createDb } from '../db/client.ts';
import { activateModel, activeModelVersion, findModel, insertModel, listModels, type ModelRow } from '../db/models.ts';
import { ApiError } from '../errors.ts';
import { forgetActiveVersion, modelOf } from '../model/active-model.ts';
import { putBundle } from '../model/bundle-store.ts';
import { loadModel } from '../model/loaded-model.ts';
import { catalogueFor } from '../recs/catalogue-cache.ts';
import { errorResponse } from '../schemas/error.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const adminModels = newRouter();

/** Bundles are far larger than API bodies (a 50 000-item, 64-dim scorer is ~13 MB); Workers accept 100 MB. */
export const MAX_BUNDLE_BYTES = 95 * 1024 * 1024;

const ModelSchema = z
  .object({
    version: z.string(),
    created_at: z.string().openapi({ description: 'When the trainer built the bundle' }),
    uploaded_at: z.string(),
    activated_at: z.string().nullable().openapi({ description: 'Last activation' }),
    active: z.boolean(),
    items: z.number().int(),
    dims: z.number().int(),
    content_model: z.boolean(),
    training: z.object({ data: z.string(), params: z.record(z.string(), z.unknown()), metrics: z.record(z.string(), z.unknown()) }),
  })
  .openapi('Model');

function present(row: ModelRow, active: string | null) {
  const m = parseManifest(JSON.parse(row.manifest)) as Manifest;
  return {
    version: row.version,
    created_at: m.createdAt,
    uploaded_at: new Date(row.uploadedAt).toISOString(),
    activated_at: row.activatedAt === null ? null : new Date(row.activatedAt).toISOString(),
    active: row.version === active,
    items: m.items,
    dims: m.dims,
    content_model: m.files.content !== undefined,
    training: m.training,
  };
}

const VersionParam = z.object({
  version: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: 'version', in: 'path' } }),
});

const { middleware: uploadGate, ...uploadRoute } = createRoute({
  ...allow('admin'),
  method: 'post',
  path: '/',
  operationId: 'uploadModel',
  tags: ['Admin'],
  summary: 'Upload a model bundle',
  description:
    'multipart/form-data with one part per bundle file, each named by its file name (manifest.json, scorer.onnx, items.json, optional content.onnx). The bundle is checked against the contract (format, sha256, ONNX shapes) and loaded once before it is stored in R2 under models/<version>/; a violation answers 400 naming the manifest field. Versions are immutable (409 on re-upload). Up to 95 MB.',
  security: bearerAuth,
  request: {
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.object({
            'manifest.json': z.string().openapi({ format: 'binary' }),
            'scorer.onnx': z.string().openapi({ format: 'binary' }),
            'items.json': z.string().openapi({ format: 'binary' }),
            'content.onnx': z.string().optional().openapi({ format: 'binary' }),
          }),
        },
      },
    },
  },
  responses: {
    201: { description: 'Stored and registered (not active yet)', content: { 'application/json': { schema: ModelSchema } } },
    400: errorResponse('The bundle breaks the contract; details.issues[0].path names the field'),
    409: errorResponse('This version exists already'),
    413: errorResponse('Bundle over 95 MB'),
  },
});
// The gate runs in front of the multipart handler below; the document gets the rest (with its x-roles).
adminModels.openAPIRegistry.registerPath(uploadRoute);

adminModels.post(
  '/',
  ...uploadGate,
  bodyLimit({
    maxSize: MAX_BUNDLE_BYTES,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', 'A bundle may not exceed 95 MB');
    },
  }),
  async (c) => {
    if (!(c.req.header('content-type') ?? '').includes('multipart/form-data')) {
      throw new ApiError(415, 'unsupported_media_type', 'Send the bundle files as multipart/form-data, one part per file');
    }
    const form = await c.req.formData().catch(() => {
      throw new ApiError(400, 'invalid_multipart', 'The body is not valid multipart/form-data');
    });
    const files: Record<string, Uint8Array> = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') files[field] = new TextEncoder().encode(value);
      else files[field] = new Uint8Array(await value.arrayBuffer());
    }
    const manifestBytes = files[MANIFEST_FILE];
    if (!manifestBytes) {
      throw new ApiError(400, 'invalid_bundle', `The upload has no ${MANIFEST_FILE} part`, {
        issues: [{ path: MANIFEST_FILE, code: 'required', message: `Add a part named ${MANIFEST_FILE}` }],
      });
    }
    const manifestText = new TextDecoder().decode(manifestBytes);
    let json: unknown;
    try {
      json = JSON.parse(manifestText);
    } catch {
      throw new ApiError(400, 'invalid_bundle', `${MANIFEST_FILE} is not valid JSON`, {
        issues: [{ path: MANIFEST_FILE, code: 'invalid_json', message: 'Not valid JSON' }],
      });
    }
    const bundle = await openBundle(json, async (name) => files[name] ?? null);
    const { manifest } = bundle;
    const db = createDb(c.env.DB);
    if (await findModel(db, manifest.version))
      throw new ApiError(409, 'model_exists', `Model ${manifest.version} is already uploaded; versions are immutable`);
    try {
      // Loading it here (onnxruntime sessions, finite factors) refuses a bundle that could never serve.
      await (await loadModel(bundle)).release();
    } catch (err) {
      if (err instanceof BundleError) throw err;
      throw new ApiError(400, 'invalid_bundle', `The bundle does not load: ${(err as Error).message}`, {
        issues: [{ path: 'files.scorer', code: 'unloadable', message: (err as Error).message }],
      });
    }
    await putBundle(c.env.MODELS, manifest, files, manifestText);
    const now = Date.now();
    if (!(await insertModel(db, manifest.version, manifestText, now))) {
      throw new ApiError(409, 'model_exists', `Model ${manifest.version} is already uploaded; versions are immutable`);
    }
    const row = (await findModel(db, manifest.version)) as ModelRow;
    await recordAudit(db, c.get('principal'), 'model.upload', manifest.version, { files: manifest.files }, now);
    return c.json(present(row, await activeModelVersion(db)), 201);
  },
);

adminModels.openapi(
  createRoute({
    ...allow('admin'),
    method: 'get',
    path: '/',
    operationId: 'listModels',
    tags: ['Admin'],
    summary: 'List model versions',
    description: 'Every uploaded version, newest first, with its training metrics and which one is active.',
    security: bearerAuth,
    responses: {
      200: {
        description: 'Versions',
        content: { 'application/json': { schema: z.object({ active: z.string().nullable(), models: z.array(ModelSchema) }) } },
      },
    },
  }),
  async (c) => {
    const db = createDb(c.env.DB);
    const [rows, active] = await Promise.all([listModels(db), activeModelVersion(db)]);
    return c.json({ active, models: rows.map((r) => present(r, active)) }, 200);
  },
);

adminModels.openapi(
  createRoute({
    ...allow('admin'),
    method: 'post',
    path: '/{version}/activate',
    operationId: 'activateModel',
    tags: ['Admin'],
    summary: 'Switch traffic to a model version',
    description:
      'Loads the bundle from R2 and builds its catalogue view first (a bundle that cannot serve is refused with 422), then makes it active. Every isolate notices within 30 s; no redeploy.',
    security: bearerAuth,
    request: { params: VersionParam },
    responses: {
      200: {
        description: 'Active now',
        content: { 'application/json': { schema: ModelSchema.extend({ previous: z.string().nullable() }) } },
      },
      404: errorResponse('No such version'),
      422: errorResponse('The stored bundle does not load'),
    },
  }),
  async (c) => {
    const { version } = c.req.valid('param');
    const db = createDb(c.env.DB);
    const row = await findModel(db, version);
    if (!row) throw new ApiError(404, 'model_not_found', `No model version ${version}`);
    try {
      // Warm this isolate (bundle and catalogue view) so the first list after the switch is fast here.
      const model = await modelOf(db, c.env.MODELS, version);
      await catalogueFor(db, model, Date.now(), (p) => c.executionCtx.waitUntil(p));
    } catch (err) {
      throw new ApiError(422, 'model_unloadable', `Model ${version} does not load: ${(err as Error).message}`);
    }
    const previous = await activeModelVersion(db);
    const now = Date.now();
    await activateModel(db, version, now);
    await recordAudit(db, c.get('principal'), 'model.activate', version, { previous }, now);
    forgetActiveVersion();
    const updated = (await findModel(db, version)) as ModelRow;
    return c.json({ ...present(updated, version), previous }, 200);
  },
);
