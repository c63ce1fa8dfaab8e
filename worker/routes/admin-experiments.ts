import { createRoute, z } from '@hono/zod-openapi';
import { allow } from '../auth/scope.ts';
import { recordAudit } from '../db/audit.ts';
import { createDb, type Db } from '../db/client.ts';
import type { Arm } from '../db/experiments.ts';
import { type ExperimentRow, findExperiment, insertExperiment, listExperiments, markPromoted, stopExperiment } from '../db/experiments.ts';
import { activateModel, activeModelVersion, findModel } from '../db/models.ts';
import { ApiError, type FieldIssue, validationError } from '../errors.ts';
import { measureExperiment } from '../experiments/measure.ts';
import { forgetRunningExperiment } from '../experiments/running.ts';
import { forgetActiveVersion, modelOf } from '../model/active-model.ts';
import { catalogueFor } from '../recs/catalogue-cache.ts';
import { errorResponse } from '../schemas/error.ts';
import { CreateExperimentSchema, ExperimentParams, ExperimentReportSchema, ExperimentSchema } from '../schemas/experiments.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const adminExperiments = newRouter();

/** An isolate keeps at most two loaded models (worker/model/active-model.ts): arms and the active model must fit. */
export const MAX_LIVE_MODELS = 2;
const SHARE_TOLERANCE = 1e-6;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function present(e: ExperimentRow) {
  return {
    id: e.id,
    name: e.name,
    mode: e.mode,
    status: e.status,
    arms: e.arms.map((a) => ({
      name: a.name,
      model_version: a.model_version,
      share: a.share,
      ...(a.settings ? { settings: a.settings } : {}),
    })),
    winner: e.winner,
    created_by: e.createdBy,
    started_at: new Date(e.startedAt).toISOString(),
    stopped_at: iso(e.stoppedAt),
  };
}

/** The arms as stored, with shares filled in and every rule of a startable experiment checked. */
async function checkedArms(db: Db, body: z.output<typeof CreateExperimentSchema>): Promise<Arm[]> {
  const issues: FieldIssue[] = [];
  const { arms, mode } = body;
  if (mode === 'interleave' && arms.length !== 2)
    issues.push({ path: 'json.arms', code: 'too_many_arms', message: 'Interleaving compares exactly two arms' });
  const seen = new Set<string>();
  arms.forEach((a, i) => {
    if (seen.has(a.name)) issues.push({ path: `json.arms[${i}].name`, code: 'duplicate_arm', message: `Arm name ${a.name} is used twice` });
    seen.add(a.name);
  });
  const given = arms.filter((a) => a.share !== undefined).length;
  if (mode === 'split' && given !== 0 && given !== arms.length)
    issues.push({ path: 'json.arms', code: 'incomplete_shares', message: 'Give every arm a share, or none for equal shares' });
  const sum = arms.reduce((s, a) => s + (a.share ?? 0), 0);
  if (mode === 'split' && given === arms.length && Math.abs(sum - 1) > SHARE_TOLERANCE)
    issues.push({ path: 'json.arms', code: 'shares_not_one', message: `Shares sum to ${sum}, not 1` });
  const rows = await Promise.all(arms.map((a) => findModel(db, a.model_version)));
  rows.forEach((r, i) => {
    if (!r)
      issues.push({
        path: `json.arms[${i}].model_version`,
        code: 'model_not_found',
        message: `No model version ${arms[i]?.model_version}`,
      });
  });
  const active = await activeModelVersion(db);
  const live = new Set([...arms.map((a) => a.model_version), ...(active ? [active] : [])]);
  if (live.size > MAX_LIVE_MODELS)
    issues.push({
      path: 'json.arms',
      code: 'too_many_models',
      message: `The arms and the active model (${active}) name ${live.size} versions; an isolate holds at most ${MAX_LIVE_MODELS}: make the active model one of the arms`,
    });
  if (issues.length > 0) throw validationError(issues, 'The experiment cannot start');
  return arms.map((a) => ({
    name: a.name,
    model_version: a.model_version,
    share: mode === 'interleave' ? 0.5 : (a.share ?? 1 / arms.length),
    ...(a.settings ? { settings: a.settings } : {}),
  }));
}

async function openExperiment(db: Db, id: string): Promise<ExperimentRow> {
  const e = await findExperiment(db, id);
  if (!e) throw new ApiError(404, 'experiment_not_found', `No experiment ${id}`);
  return e;
}

const notFound = errorResponse('No such experiment');

adminExperiments.openapi(
  createRoute({
    ...allow('admin'),
    method: 'post',
    path: '/',
    operationId: 'startExperiment',
    tags: ['Experiments'],
    summary: 'Start an experiment between model versions or ranking settings',
    description:
      'Split: each listener is assigned one arm by SHA-256 of `<experiment id>:<user id>`, cut by the arms’ shares, so the same listener always gets the same arm. Interleave: each list merges both arms’ rankings by team draft and credits streams to the arm that placed the track. ' +
      'Every served list records the experiment and arm. Each arm’s model is loaded first (422 when one cannot serve); at most one experiment runs (409), and the arms plus the active model may name at most two versions (an isolate keeps two models). Reaches every isolate within 30 s.',
    security: bearerAuth,
    request: { body: { required: true, content: { 'application/json': { schema: CreateExperimentSchema } } } },
    responses: {
      201: { description: 'Running', content: { 'application/json': { schema: ExperimentSchema } } },
      400: errorResponse('Invalid arms (details.issues name the field)'),
      409: errorResponse('Another experiment is running'),
      422: errorResponse("An arm's model does not load"),
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const db = createDb(c.env.DB);
    const arms = await checkedArms(db, body);
    for (const [i, arm] of arms.entries()) {
      try {
        const model = await modelOf(db, c.env.MODELS, arm.model_version);
        await catalogueFor(db, model, Date.now(), (p) => c.executionCtx.waitUntil(p));
      } catch (err) {
        throw new ApiError(422, 'model_unloadable', `Model ${arm.model_version} does not load: ${(err as Error).message}`, {
          issues: [{ path: `json.arms[${i}].model_version`, code: 'model_unloadable', message: (err as Error).message }],
        });
      }
    }
    const principal = c.get('principal');
    const now = Date.now();
    const id = `exp_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const row = { id, name: body.name, mode: body.mode, arms, createdBy: principal.keyId, startedAt: now };
    if (!(await insertExperiment(db, row))) throw new ApiError(409, 'experiment_running', 'Another experiment is running: stop it first');
    await recordAudit(db, principal, 'experiment.start', id, { mode: body.mode, arms }, now);
    forgetRunningExperiment();
    return c.json(present(await openExperiment(db, id)), 201);
  },
);

adminExperiments.openapi(
  createRoute({
    ...allow('admin'),
    method: 'get',
    path: '/',
    operationId: 'listExperiments',
    tags: ['Experiments'],
    summary: 'List experiments, newest first',
    security: bearerAuth,
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }) },
    responses: {
      200: {
        description: 'Experiments',
        content: { 'application/json': { schema: z.object({ experiments: z.array(ExperimentSchema) }) } },
      },
    },
  }),
  async (c) => {
    const rows = await listExperiments(createDb(c.env.DB), c.req.valid('query').limit);
    return c.json({ experiments: rows.map(present) }, 200);
  },
);

adminExperiments.openapi(
  createRoute({
    ...allow('admin'),
    method: 'get',
    path: '/{id}',
    operationId: 'getExperiment',
    tags: ['Experiments'],
    summary: 'One experiment',
    security: bearerAuth,
    request: { params: ExperimentParams },
    responses: { 200: { description: 'The experiment', content: { 'application/json': { schema: ExperimentSchema } } }, 404: notFound },
  }),
  async (c) => c.json(present(await openExperiment(createDb(c.env.DB), c.req.valid('param').id)), 200),
);

adminExperiments.openapi(
  createRoute({
    ...allow('admin'),
    method: 'get',
    path: '/{id}/report',
    operationId: 'getExperimentReport',
    tags: ['Experiments'],
    summary: 'Arms compared: conversion, streams, saves, skip rate and coverage with 95 % intervals',
    description:
      "Split: per arm over the listeners served under it, each other arm against the control (the first) with Welch 95 % intervals over per-listener values, the campaign report's statistics. " +
      'Interleave: each listener with a credited stream prefers the arm whose tracks they streamed more; B’s preference share and Δ = share − ½ with a 95 % interval. Reads the events of the hot tier.',
    security: bearerAuth,
    request: { params: ExperimentParams },
    responses: {
      200: { description: 'The report so far', content: { 'application/json': { schema: ExperimentReportSchema } } },
      404: notFound,
    },
  }),
  async (c) => {
    const db = createDb(c.env.DB);
    const e = await openExperiment(db, c.req.valid('param').id);
    return c.json({ experiment: present(e), ...(await measureExperiment(db, e, Date.now())) }, 200);
  },
);

adminExperiments.openapi(
  createRoute({
    ...allow('admin'),
    method: 'post',
    path: '/{id}/stop',
    operationId: 'stopExperiment',
    tags: ['Experiments'],
    summary: 'Stop an experiment: everyone gets the active model again',
    security: bearerAuth,
    request: { params: ExperimentParams },
    responses: {
      200: { description: 'Stopped', content: { 'application/json': { schema: ExperimentSchema } } },
      404: notFound,
      409: errorResponse('The experiment is not running'),
    },
  }),
  async (c) => {
    const db = createDb(c.env.DB);
    const e = await openExperiment(db, c.req.valid('param').id);
    const now = Date.now();
    if (!(await stopExperiment(db, e.id, now))) throw new ApiError(409, 'experiment_not_running', `Experiment ${e.id} is ${e.status}`);
    await recordAudit(db, c.get('principal'), 'experiment.stop', e.id, {}, now);
    forgetRunningExperiment();
    return c.json(present(await openExperiment(db, e.id)), 200);
  },
);

adminExperiments.openapi(
  createRoute({
    ...allow('admin'),
    method: 'post',
    path: '/{id}/promote',
    operationId: 'promoteExperiment',
    tags: ['Experiments'],
    summary: 'Promote an arm: its model serves everyone and the experiment ends',
    description:
      'Activates the arm’s model version (as POST /v1/admin/models/{version}/activate does) and marks the experiment promoted. A running or stopped experiment can be promoted once. Settings-only arms are recorded as the winner; their settings are not made defaults.',
    security: bearerAuth,
    request: {
      params: ExperimentParams,
      body: { required: true, content: { 'application/json': { schema: z.strictObject({ arm: z.string().min(1).max(40) }) } } },
    },
    responses: {
      200: { description: 'Promoted', content: { 'application/json': { schema: ExperimentSchema } } },
      400: errorResponse('No arm of that name'),
      404: notFound,
      409: errorResponse('The experiment was promoted already'),
    },
  }),
  async (c) => {
    const db = createDb(c.env.DB);
    const e = await openExperiment(db, c.req.valid('param').id);
    const { arm: name } = c.req.valid('json');
    const arm = e.arms.find((a) => a.name === name);
    if (!arm) throw validationError([{ path: 'json.arm', code: 'unknown_arm', message: `Experiment ${e.id} has no arm ${name}` }]);
    const now = Date.now();
    if (!(await markPromoted(db, e.id, arm.name, now)))
      throw new ApiError(409, 'experiment_promoted', `Experiment ${e.id} was promoted already`);
    const previous = await activeModelVersion(db);
    await activateModel(db, arm.model_version, now);
    await recordAudit(db, c.get('principal'), 'experiment.promote', e.id, { arm: arm.name, version: arm.model_version, previous }, now);
    forgetRunningExperiment();
    forgetActiveVersion();
    return c.json(present(await openExperiment(db, e.id)), 200);
  },
);
