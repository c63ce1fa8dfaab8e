/** Worker thread body: solves a row range of one ALS half-step on shared memory. */
import { parentPort } from 'node:worker_threads';
import { missingFor, type RowSolveParams, solveRows } from './als-rows.ts';

export interface SideBuffers {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export type WorkerMessage =
  | { kind: 'init'; user: SideBuffers; item: SideBuffers; x: Float32Array; y: Float32Array; missing?: Float32Array }
  | { kind: 'solve'; side: 'user' | 'item'; start: number; end: number; g: Float64Array; params: RowSolveParams };

let state: Extract<WorkerMessage, { kind: 'init' }> | null = null;

parentPort!.on('message', (msg: WorkerMessage) => {
  if (msg.kind === 'init') {
    state = msg;
    parentPort!.postMessage({ ok: true });
    return;
  }
  const s = state!;
  const [rows, target, fixed] = msg.side === 'user' ? [s.user, s.x, s.y] : [s.item, s.y, s.x];
  const missing = missingFor(msg.side, s.missing);
  const loss = solveRows(msg.params, { ...rows, start: msg.start, end: msg.end }, target, fixed, msg.g, missing, msg.side === 'item');
  parentPort!.postMessage({ loss });
});
