/**
 * Exports the fold-in scorer as ONNX with standard opset-17 ops only (onnxruntime-web's wasm
 * backend runs them all). ONNX has no linear-solve op, so the exact ALS fold-in
 *   (G + λ_u I + Y_hᵀ diag(c − w_h) Y_h) x = Y_hᵀ c,   G = Yᵀ diag(w) Y  (w = unobserved weights)
 * is solved by conjugate gradient unrolled for a fixed number of steps, preconditioned with
 * (G + λ̄I)⁻¹: the preconditioned system is the identity plus a perturbation of rank ≤ |history|,
 * so CG converges in a few dozen steps to float32 precision instead of needing ~D.
 * Repeated history items are summed first (ScatterElements add), as in training.
 */
import { SCORER_IO, SCORER_ITEM_EMBEDDINGS } from '../../contract/bundle-manifest.ts';
import { rowRegularization } from '../train/confidence.ts';
import type { FoldInModel } from '../train/fold-in.ts';
import { invertSpd, plusDiagonal } from '../train/linalg.ts';
import { GraphBuilder } from './graph.ts';

/** Unrolled PCG steps: enough for float32 convergence on histories of any length. */
const cgSteps = (dims: number): number => Math.min(dims, 48);
/** History size the preconditioner is tuned for (its λ̄). */
const TYPICAL_HISTORY = 20;

/** The names a fold-in graph leaves for what is built on it (scores, item-item terms, ranker features). */
export interface FoldInNames {
  /** The item factors, [N, D]. */
  y: string;
  /** The output `user_vector`, [D]. */
  userVector: string;
  /** Per history entry: its item's summed weight, and 1/count of its item's entries. */
  summed: string;
  share: string;
  /** Per item: how many history entries it has; the number of distinct history items. */
  count: string;
  nDistinct: string;
  zerosN: string;
  tiny: string;
}

/**
 * The exact fold-in of a new user from `history`/`weight` inputs, as a graph on `g`, ending in the
 * `user_vector` output; shared by scorer.onnx and the ranker's scorer (onnx/ranker-graph.ts).
 *
 * @example const f = foldInGraph(g, model, g.input('history', 'int64', ['H']), g.input('history_weight', 'float', ['H']));
 */
export function foldInGraph(g: GraphBuilder, m: FoldInModel, history: string, weight: string): FoldInNames {
  const d = m.dims;
  const steps = cgSteps(d);

  const y = g.floats(SCORER_ITEM_EMBEDDINGS, m.itemFactors, [m.nItems, d]);
  const gramF = g.floats('gram', Float32Array.from(m.gram), [d, d]);
  const eye = new Float32Array(d * d);
  for (let k = 0; k < d; k++) eye[k * d + k] = 1;
  const identity = g.floats('identity', eye, [d, d]);
  const lambdaBar = rowRegularization(TYPICAL_HISTORY, m.regularization, m.regExponent);
  const precond = g.floats('preconditioner', Float32Array.from(invertSpd(plusDiagonal(m.gram, d, lambdaBar), d)), [d, d]);
  const zerosN = g.floats('zeros_items', new Float32Array(m.nItems), [m.nItems]);
  const one = g.scalar(1, 'one');
  const tiny = g.scalar(1e-30, 'tiny');

  // Per-entry share of its item's summed strength: each repeat carries 1/count of the item's terms.
  const ones = g.op('Expand', [one, g.op('Shape', [weight])]);
  const wSum = g.op('ScatterElements', [zerosN, history, weight], { axis: 0, reduction: 'add' });
  const count = g.op('ScatterElements', [zerosN, history, ones], { axis: 0, reduction: 'add' });
  const summed = g.op('Gather', [wSum, history], { axis: 0 });
  // BM25 saturation s = w (K1 + 1) / (K1 n_i + w), see train/saturation.ts
  const sat = m.saturation;
  const wItem = sat
    ? g.op('Div', [
        g.op('Mul', [summed, g.scalar(sat.k1 + 1)]),
        g.op('Add', [
          g.op('Mul', [g.scalar(sat.k1), g.op('Gather', [g.floats('item_norm', sat.itemNorm, [m.nItems]), history], { axis: 0 })]),
          summed,
        ]),
      ])
    : summed;
  const share = g.op('Div', [one, g.op('Gather', [count, history], { axis: 0 })]);
  // c = 1 + α ln(1 + w/ε)
  const conf = g.op('Add', [
    one,
    g.op('Mul', [g.scalar(m.alpha), g.op('Log', [g.op('Add', [one, g.op('Div', [wItem, g.scalar(m.epsilon)])])])]),
  ]);
  const missingAtH = m.missing ? g.op('Gather', [g.floats('missing_weight', m.missing, [m.nItems]), history], { axis: 0 }) : one;
  const dv = g.op('Mul', [g.op('Sub', [conf, missingAtH]), share]);
  const bv = g.op('Mul', [conf, share]);
  // λ_u = λ (n_u + 1)^ν with n_u distinct items = Σ share
  const nDistinct = g.op('ReduceSum', [share, g.ints('axis0', [0], [1])], { keepdims: 0 });
  const lambda = g.op('Mul', [g.scalar(m.regularization), g.op('Pow', [g.op('Add', [nDistinct, one]), g.scalar(m.regExponent)])]);

  const yh = g.op('Gather', [y, history], { axis: 0 });
  const weighted = g.op('Mul', [yh, g.op('Unsqueeze', [dv, g.ints('axis1', [1], [1])])]);
  const a = g.op('Add', [
    g.op('Add', [gramF, g.op('Mul', [identity, lambda])]),
    g.op('MatMul', [g.op('Transpose', [yh], { perm: [1, 0] }), weighted]),
  ]);
  const b = g.op('MatMul', [g.op('Unsqueeze', [bv, g.ints('axis0b', [0], [1])]), yh]); // [1, D]

  // PCG from x = 0 on row vectors (A and P symmetric, so v·A = (A v)ᵀ).
  const dot = (u: string, v: string) => g.op('ReduceSum', [g.op('Mul', [u, v])], { keepdims: 0 });
  let x = g.floats('x0', new Float32Array(d), [1, d]);
  let r = b;
  let z = g.op('MatMul', [r, precond]);
  let p = z;
  let rz = dot(r, z);
  for (let k = 0; k < steps; k++) {
    const ap = g.op('MatMul', [p, a]);
    const step = g.op('Div', [rz, g.op('Add', [dot(p, ap), tiny])]);
    x = g.op('Add', [x, g.op('Mul', [p, step])]);
    r = g.op('Sub', [r, g.op('Mul', [ap, step])]);
    z = g.op('MatMul', [r, precond]);
    const rzNew = dot(r, z);
    p = g.op('Add', [z, g.op('Mul', [p, g.op('Div', [rzNew, g.op('Add', [rz, tiny])])])]);
    rz = rzNew;
  }
  const userVector = g.op('Reshape', [x, g.ints('shape_d', [d], [1])], {}, SCORER_IO.userVector);
  return { y, userVector, summed, share, count, nDistinct, zerosN, tiny };
}

/**
 * scorer.onnx bytes for a fold-in model.
 *
 * @example
 * await writeFile('scorer.onnx', exportScorer(model));
 */
export function exportScorer(m: FoldInModel): Uint8Array {
  const d = m.dims;
  const steps = cgSteps(d);
  const g = new GraphBuilder();
  const history = g.input(SCORER_IO.history, 'int64', ['H']);
  const weight = g.input(SCORER_IO.historyWeight, 'float', ['H']);
  const candidates = g.input(SCORER_IO.candidates, 'int64', ['K']);
  const { y, userVector, summed, share, zerosN, tiny } = foldInGraph(g, m, history, weight);
  const candY = g.op('Gather', [y, candidates], { axis: 0 });
  if (m.itemItem) {
    const als = g.op('MatMul', [candY, userVector]);
    g.op(
      'Add',
      [als, g.op('Gather', [itemItemTerm(g, m, history, summed, share, zerosN, tiny), candidates], { axis: 0 })],
      {},
      SCORER_IO.scores,
    );
  } else {
    g.op('MatMul', [candY, userVector], {}, SCORER_IO.scores);
  }
  g.output(SCORER_IO.scores, 'float', ['K']);
  g.output(SCORER_IO.userVector, 'float', [d]);
  return g.toBytes('backbeat_scorer', { 'backbeat.model': 'ials-fold-in', 'backbeat.cg_steps': String(steps) });
}

/**
 * The RP3beta blend term over all N items, as train/item-item.ts computes it: each history entry
 * spreads log(1 + max(w, 0)) × its share of the item's summed strength over the item's k neighbours
 * (ScatterElements add into [N]), then blend · s / max(s).
 */
function itemItemTerm(
  g: GraphBuilder,
  m: FoldInModel,
  history: string,
  summed: string,
  share: string,
  zerosN: string,
  tiny: string,
): string {
  const nb = m.itemItem!;
  const one = g.scalar(1);
  const index = g.int32s('neighbour_index', nb.index, [m.nItems, nb.k]);
  const value = g.floats('neighbour_value', nb.value, [m.nItems, nb.k]);
  const h = g.op('Mul', [g.op('Log', [g.op('Add', [one, g.op('Relu', [summed])])]), share]);
  const spread = g.op('Mul', [g.op('Gather', [value, history], { axis: 0 }), g.op('Unsqueeze', [h, g.ints('axis1_nb', [1], [1])])]);
  const flat = g.ints('shape_flat', [-1], [1]);
  const s = g.op(
    'ScatterElements',
    [zerosN, g.op('Reshape', [g.op('Gather', [index, history], { axis: 0 }), flat]), g.op('Reshape', [spread, flat])],
    {
      axis: 0,
      reduction: 'add',
    },
  );
  const max = g.op('Max', [g.op('ReduceMax', [s], { keepdims: 0 }), tiny]);
  return g.op('Div', [g.op('Mul', [s, g.scalar(nb.blend)]), max]);
}
