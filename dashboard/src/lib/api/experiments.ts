/** Admin reads and writes of experiments: list, report, stop and promote. Shapes are the generated OpenAPI types. */
import { api, type Schemas, unwrap } from './client.ts';

export type Experiment = Schemas['Experiment'];
export type ExperimentReport = Schemas['ExperimentReport'];

export async function listExperiments(): Promise<Experiment[]> {
  return unwrap(await api.GET('/v1/admin/experiments', { params: { query: { limit: 50 } } })).experiments;
}

export async function fetchExperimentReport(id: string): Promise<ExperimentReport> {
  return unwrap(await api.GET('/v1/admin/experiments/{id}/report', { params: { path: { id } } }));
}

export async function stopExperiment(id: string): Promise<Experiment> {
  return unwrap(await api.POST('/v1/admin/experiments/{id}/stop', { params: { path: { id } } }));
}

export async function promoteArm(id: string, arm: string): Promise<Experiment> {
  return unwrap(await api.POST('/v1/admin/experiments/{id}/promote', { params: { path: { id } }, body: { arm } }));
}
