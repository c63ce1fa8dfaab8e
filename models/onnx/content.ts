/**
 * Exports the content model as ONNX: features · scale, row L2 normalisation, MatMul + Add.
 */
import { CONTENT_IO } from '../../contract/bundle-manifest.ts';
import type { ContentModel } from '../train/content-model.ts';
import { GraphBuilder } from './graph.ts';

/**
 * content.onnx bytes: input `features` [B, F], output `embedding` [B, D].
 *
 * @example
 * await writeFile('content.onnx', exportContent(model));
 */
export function exportContent(m: ContentModel): Uint8Array {
  const g = new GraphBuilder();
  const x = g.input(CONTENT_IO.features, 'float', ['B', m.features]);
  const scaled = g.op('Mul', [x, g.floats('scale', m.scale, [m.features])]);
  const norm = g.op('Sqrt', [g.op('ReduceSum', [g.op('Mul', [scaled, scaled]), g.ints('axis1', [1], [1])], { keepdims: 1 })]);
  const phi = g.op('Div', [scaled, g.op('Add', [norm, g.scalar(1e-6)])]);
  const w = g.floats('weights', m.weights, [m.features, m.dims]);
  g.op('Add', [g.op('MatMul', [phi, w]), g.floats('bias', m.bias, [m.dims])], {}, CONTENT_IO.embedding);
  g.output(CONTENT_IO.embedding, 'float', ['B', m.dims]);
  return g.toBytes('backbeat_content', { 'backbeat.model': 'ridge-content' });
}
