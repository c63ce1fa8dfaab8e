/**
 * scorer.onnx with the LambdaMART second stage inside (models/ranker/): the same four inputs and two
 * outputs as onnx/scorer.ts, so the Worker and `openBundle` need nothing new. In the graph:
 *  1. the exact iALS fold-in of onnx/scorer.ts (same ops, same preconditioned CG);
 *  2. over all N items: ALS scores, the RP3beta spread (Gather + ScatterElements add over the
 *     neighbour table), the history's tf-idf tag profile and each item's cosine with it, popularity;
 *  3. each retriever's top-k (TopK over the catalogue with the history masked) gives a threshold; an
 *     item at or above one of them is a candidate, and `retrievers` counts how many proposed it;
 *  4. the [K, F] feature rows of the requested candidates (Gather, Concat), an `ai.onnx.ml`
 *     TreeEnsembleRegressor (BRANCH_LEQ, SUM) over them;
 *  5. `scores` = the trees' output (plus `scale · als`, where boosting started) for proposed
 *     candidates, `clip(als) − offset` for the others
 *     (every one of them below every proposed item).
 * features.ts's `scoreRanker` is the TypeScript twin; test/models/ranker/ checks the parity.
 *
 * GraphBuilder (onnx/graph.ts) knows the default domain only, so the tree node and the second
 * output TopK requires are added to the decoded ModelProto afterwards (`withMlNodes`).
 */
import onnxProto from 'onnx-proto';
import { SCORER_IO } from '../../contract/bundle-manifest.ts';
import { ALS_CLIP, FEATURES, MASKED, N_FEATURES, type RankerModel } from '../ranker/features.ts';
import type { TreeEnsemble } from '../ranker/lambdamart.ts';
import { GraphBuilder } from './graph.ts';
import { foldInGraph } from './scorer.ts';

const { onnx } = onnxProto;

/** Name of the optional debug output: the [K, F] feature rows (only with `debugFeatures`). */
export const RANKER_FEATURES_OUTPUT = 'ranker_features';
const TREE_INPUT = 'ranker_x';
const TREE_OUTPUT = 'ranker_tree_out';
const ML_DOMAIN = 'ai.onnx.ml';
const TINY = 1e-12;

/** Values of ONNX's AttributeProto.AttributeType. */
const ATTR = { INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/**
 * The ranker's scorer.onnx bytes. `debugFeatures` adds the feature rows as an extra output (tests).
 *
 * @example
 * await writeFile('scorer.onnx', exportRankerScorer(fitted.model));
 */
export function exportRankerScorer(m: RankerModel, opts: { debugFeatures?: boolean } = {}): Uint8Array {
  const t = m.tables;
  const n = t.nItems;
  const g = new GraphBuilder();
  const history = g.input(SCORER_IO.history, 'int64', ['H']);
  const weight = g.input(SCORER_IO.historyWeight, 'float', ['H']);
  const candidates = g.input(SCORER_IO.candidates, 'int64', ['K']);
  const f = foldInGraph(g, t.foldIn, history, weight);
  const one = g.scalar(1);
  const zero = g.scalar(0);
  const tiny = g.scalar(TINY);
  const masked = g.scalar(MASKED);
  const axis1 = g.ints('r_axis1', [1], [1]);
  const flat = g.ints('r_flat', [-1], [1]);
  const sum = (x: string) => g.op('ReduceSum', [x], { keepdims: 0 });
  const max = (x: string) => g.op('ReduceMax', [x], { keepdims: 0 });

  // 1. ALS over the catalogue, statistics over the catalogue minus the history
  const als = g.op('MatMul', [f.y, f.userVector]);
  const alsClipped = g.op('Clip', [als, g.scalar(-ALS_CLIP), g.scalar(ALS_CLIP)]);
  const inHist = g.op('Greater', [f.count, zero]);
  const notHist = g.op('Cast', [g.op('Not', [inHist])], { to: 1 });
  const alsMasked = g.op('Where', [inHist, masked, als]);
  const cnt = g.op('Max', [sum(notHist), one]);
  const mean = g.op('Div', [sum(g.op('Mul', [als, notHist])), cnt]);
  const centred = g.op('Sub', [als, mean]);
  const std = g.op('Add', [g.op('Sqrt', [g.op('Div', [sum(g.op('Mul', [g.op('Mul', [centred, centred]), notHist])), cnt])]), tiny]);
  const alsZ = g.op('Div', [centred, std]);
  const alsMax = max(alsMasked);
  const alsGap = g.op('Sub', [alsMax, als]);

  // 2. RP3beta spread and tag profile from the history's walk weights ln(1 + max(w, 0)) × share
  const hw = g.op('Mul', [g.op('Log', [g.op('Add', [one, g.op('Relu', [f.summed])])]), f.share]);
  const hwCol = g.op('Unsqueeze', [hw, axis1]);
  const nb = t.neighbours;
  const nbIndex = g.int32s('ranker_neighbour_index', nb.index, [n, nb.k]);
  const nbValue = g.floats('ranker_neighbour_value', nb.value, [n, nb.k]);
  const rp3 = g.op(
    'ScatterElements',
    [
      f.zerosN,
      g.op('Reshape', [g.op('Gather', [nbIndex, history], { axis: 0 }), flat]),
      g.op('Reshape', [g.op('Mul', [g.op('Gather', [nbValue, history], { axis: 0 }), hwCol]), flat]),
    ],
    { axis: 0, reduction: 'add' },
  );
  const rp3n = g.op('Div', [rp3, g.op('Max', [max(rp3), g.scalar(1e-30)])]);

  const tg = t.tags;
  const tagIndex = g.int32s('ranker_tag_index', tg.index, [n, tg.t]);
  const tagValue = g.floats('ranker_tag_value', tg.value, [n, tg.t]);
  const profile = g.op(
    'ScatterElements',
    [
      g.floats('ranker_zeros_tags', new Float32Array(tg.vocabulary), [tg.vocabulary]),
      g.op('Reshape', [g.op('Gather', [tagIndex, history], { axis: 0 }), flat]),
      g.op('Reshape', [g.op('Mul', [g.op('Gather', [tagValue, history], { axis: 0 }), hwCol]), flat]),
    ],
    { axis: 0, reduction: 'add' },
  );
  const norm = g.op('Sqrt', [sum(g.op('Mul', [profile, profile]))]);
  const tag = g.op('Div', [
    g.op('ReduceSum', [g.op('Mul', [g.op('Gather', [profile, tagIndex], { axis: 0 }), tagValue]), axis1], { keepdims: 0 }),
    g.op('Add', [norm, tiny]),
  ]);
  const tagMax = g.op('Max', [max(g.op('Where', [inHist, masked, tag])), zero]);
  const tagRel = g.op('Div', [tag, g.op('Add', [tagMax, tiny])]);
  const tagFocus = g.op('Div', [norm, g.op('Add', [sum(hw), tiny])]);

  const pop = g.floats('ranker_popularity', t.popularity, [n]);
  const itemNorm = g.floats('ranker_item_norm', t.itemNorm, [n]);
  const histPop = g.op('Div', [sum(g.op('Mul', [g.op('Gather', [pop, history], { axis: 0 }), f.share])), g.op('Max', [f.nDistinct, one])]);
  const histLen = g.op('Log', [g.op('Add', [one, f.nDistinct])]);

  // 3. retrievers: top-k thresholds over the catalogue minus the history
  const positiveOnly = (v: string) => g.op('Where', [g.op('And', [g.op('Greater', [v, zero]), g.op('Not', [inHist])]), v, masked]);
  const proposed = (v: string, k: number, name: string) => {
    const kk = Math.max(1, Math.min(k, n));
    const top = g.op('TopK', [v, g.ints(`ranker_k_${name}`, [kk], [1])], { axis: -1, largest: 1, sorted: 1 }, `ranker_topk_${name}`);
    const thr = g.op('Gather', [top, g.ints(`ranker_kth_${name}`, [kk - 1], [])], { axis: 0 });
    return g.op('Cast', [g.op('And', [g.op('Greater', [v, masked]), g.op('GreaterOrEqual', [v, thr])])], { to: 1 });
  };
  const retrievers = g.op('Sum', [
    proposed(alsMasked, t.gate.als, 'als'),
    proposed(positiveOnly(rp3), t.gate.rp3, 'rp3'),
    proposed(positiveOnly(tag), t.gate.tag, 'tag'),
    proposed(g.op('Where', [inHist, masked, pop]), t.gate.pop, 'pop'),
  ]);
  const inSet = g.op('Greater', [retrievers, zero]);

  // 4. candidate rows, in the order of ranker/features.ts's FEATURES
  const col = (v: string) => g.op('Unsqueeze', [g.op('Gather', [v, candidates], { axis: 0 }), axis1]);
  const rowShape = g.op('Concat', [g.op('Shape', [candidates]), g.ints('r_one', [1], [1])], { axis: 0 });
  const user = (s: string) => g.op('Expand', [s, rowShape]);
  const columns: Record<(typeof FEATURES)[number], string> = {
    als: col(alsClipped),
    als_z: col(alsZ),
    als_gap: col(alsGap),
    rp3: col(rp3n),
    tag: col(tag),
    tag_rel: col(tagRel),
    popularity: col(pop),
    item_norm: col(itemNorm),
    retrievers: col(retrievers),
    history_length: user(histLen),
    history_popularity: user(histPop),
    tag_focus: user(tagFocus),
    als_max: user(alsMax),
  };
  const x = g.op(
    'Concat',
    FEATURES.map((name) => columns[name]),
    { axis: 1 },
    opts.debugFeatures ? RANKER_FEATURES_OUTPUT : TREE_INPUT,
  );
  // the TreeEnsembleRegressor node is spliced in here: x → TREE_OUTPUT [K, 1]
  const base = m.ensemble.base;
  const treeSum = g.op('Reshape', [TREE_OUTPUT, flat]);
  const trees = base
    ? g.op('Add', [g.op('Mul', [g.op('Reshape', [columns[FEATURES[base.feature]!], flat]), g.scalar(base.scale)]), treeSum])
    : treeSum;
  const fallback = g.op('Sub', [g.op('Gather', [alsClipped, candidates], { axis: 0 }), g.scalar(m.offset)]);
  g.op('Where', [g.op('Gather', [inSet, candidates], { axis: 0 }), trees, fallback], {}, SCORER_IO.scores);
  g.output(SCORER_IO.scores, 'float', ['K']);
  g.output(SCORER_IO.userVector, 'float', [t.foldIn.dims]);
  if (opts.debugFeatures) g.output(RANKER_FEATURES_OUTPUT, 'float', ['K', N_FEATURES]);
  const bytes = g.toBytes('backbeat_ranker_scorer', {
    'backbeat.model': 'ials-fold-in+lambdamart',
    'backbeat.ranker_features': FEATURES.join(','),
    'backbeat.ranker_trees': String(m.ensemble.trees.length),
  });
  return withMlNodes(bytes, x, m.ensemble);
}

/** Adds the tree ensemble after the node producing `input`, the ai.onnx.ml opset, and TopK's indices outputs. */
function withMlNodes(bytes: Uint8Array, input: string, e: TreeEnsemble): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const nodes = model.graph!.node!;
  for (const node of nodes) if (node.opType === 'TopK') node.output!.push(`${node.output![0]}_indices`);
  const at = nodes.findIndex((node) => node.output![0] === input);
  if (at < 0) throw new Error(`ranker graph: no node produces ${input}`);
  nodes.splice(at + 1, 0, treeNode(input, e));
  model.opsetImport!.push(onnx.OperatorSetIdProto.create({ domain: ML_DOMAIN, version: 3 }));
  return onnx.ModelProto.encode(model).finish();
}

function treeNode(input: string, e: TreeEnsemble): InstanceType<typeof onnx.NodeProto> {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: Uint8Array[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const targetTree: number[] = [];
  const targetNode: number[] = [];
  const targetWeight: number[] = [];
  const enc = new TextEncoder();
  const leaf = enc.encode('LEAF');
  const branch = enc.encode('BRANCH_LEQ');
  e.trees.forEach((tree, ti) => {
    for (let k = 0; k < tree.feature.length; k++) {
      const isLeaf = tree.feature[k]! < 0;
      treeIds.push(ti);
      nodeIds.push(k);
      featureIds.push(isLeaf ? 0 : tree.feature[k]!);
      modes.push(isLeaf ? leaf : branch);
      values.push(isLeaf ? 0 : tree.threshold[k]!);
      trueIds.push(isLeaf ? 0 : tree.left[k]!);
      falseIds.push(isLeaf ? 0 : tree.right[k]!);
      if (isLeaf) {
        targetTree.push(ti);
        targetNode.push(k);
        targetWeight.push(tree.value[k]!);
      }
    }
  });
  const ints = (name: string, v: number[]) => onnx.AttributeProto.create({ name, type: ATTR.INTS, ints: v });
  const floats = (name: string, v: number[]) => onnx.AttributeProto.create({ name, type: ATTR.FLOATS, floats: v });
  const str = (name: string, v: string) => onnx.AttributeProto.create({ name, type: ATTR.STRING, s: enc.encode(v) });
  return onnx.NodeProto.create({
    opType: 'TreeEnsembleRegressor',
    domain: ML_DOMAIN,
    name: TREE_OUTPUT,
    input: [input],
    output: [TREE_OUTPUT],
    attribute: [
      str('aggregate_function', 'SUM'),
      str('post_transform', 'NONE'),
      onnx.AttributeProto.create({ name: 'n_targets', type: ATTR.INT, i: 1 }),
      floats('base_values', [0]),
      ints('nodes_treeids', treeIds),
      ints('nodes_nodeids', nodeIds),
      ints('nodes_featureids', featureIds),
      onnx.AttributeProto.create({ name: 'nodes_modes', type: ATTR.STRINGS, strings: modes }),
      floats('nodes_values', values),
      ints('nodes_truenodeids', trueIds),
      ints('nodes_falsenodeids', falseIds),
      ints(
        'nodes_missing_value_tracks_true',
        values.map(() => 0),
      ),
      ints('target_treeids', targetTree),
      ints('target_nodeids', targetNode),
      ints(
        'target_ids',
        targetTree.map(() => 0),
      ),
      floats('target_weights', targetWeight),
    ],
  });
}

/** Unrolled PCG steps and preconditioner history size: as onnx/scorer.ts. */
