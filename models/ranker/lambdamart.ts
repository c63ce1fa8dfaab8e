/**
 * LambdaMART (Burges 2010, "From RankNet to LambdaRank to LambdaMART"): gradient-boosted regression
 * trees fitted to the lambda gradients of NDCG, grown the LightGBM way: features pre-binned into at
 * most 255 quantile bins, trees grown leaf-wise (best gain first) with histogram subtraction, Newton
 * leaf values with L2, shrinkage, early stopping on validation queries.
 *
 * Why our own and not a package: no npm package trains GBDT with a ranking objective in pure JS
 * (native addons break under Node 24). Looked at (December 2026): `ml-cart` (one CART tree, no
 * boosting), `decision-tree` (classification / regression forests and XGBoost-style regression, no
 * ranking objective), `ml-xgboost` (an emscripten build of XGBoost 0.x, unmaintained since 2019),
 * `xgboost-scorer` (inference only). The model is exported as an `ai.onnx.ml` TreeEnsembleRegressor
 * (onnx/ranker-graph.ts), so all this file has to produce is trees with `x ≤ threshold` splits.
 */

/** One regression tree; node 0 is the root, a node is a leaf when `feature < 0`. */
export interface Tree {
  feature: Int32Array;
  /** go left when x[feature] ≤ threshold (float32, as ONNX's BRANCH_LEQ compares) */
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  /** leaf output, shrinkage included */
  value: Float32Array;
}

export interface TreeEnsemble {
  nFeatures: number;
  trees: Tree[];
  /** boosting starts from `scale · x[feature]` (a strong first-stage score), the trees add corrections */
  base?: { feature: number; scale: number };
}

export interface RankingData {
  nFeatures: number;
  /** rows × nFeatures, row-major; rows of one query are contiguous */
  x: Float32Array;
  /** relevance of each row (binary here: 1 = a hidden item of the listener) */
  label: Float32Array;
  /** query q spans rows queries[q] .. queries[q+1] */
  queries: Int32Array;
  /** per query: how many relevant items exist in total (also those the candidates missed), for the ideal DCG */
  relevant?: Int32Array;
}

export interface LambdaMartParams {
  trees: number;
  learningRate: number;
  /** maximum leaves per tree */
  leaves: number;
  maxDepth: number;
  minLeafRows: number;
  minLeafHessian: number;
  l2: number;
  bins: number;
  /** sigmoid steepness of the pairwise loss */
  sigma: number;
  /** pairs count only when one of the two is ranked above this position (LightGBM's lambdarank_truncation_level) */
  truncation: number;
  /** start from `scale · x[feature]` instead of 0 (LightGBM's init_score) */
  base?: { feature: number; scale: number };
  /** features the trees may split on (default: all) */
  allowed?: readonly number[];
  /** queries for early stopping: the ensemble is cut to the best NDCG@`evalAt` seen every `evalEvery` trees */
  validation?: RankingData;
  evalAt: number;
  evalEvery: number;
  /** stop when the validation NDCG has not improved for this many trees */
  patience: number;
  log?: (line: string) => void;
}

export const DEFAULT_LAMBDAMART: LambdaMartParams = {
  trees: 300,
  learningRate: 0.05,
  leaves: 31,
  maxDepth: 8,
  minLeafRows: 100,
  minLeafHessian: 1e-3,
  l2: 1,
  bins: 128,
  sigma: 1,
  truncation: 30,
  evalAt: 20,
  evalEvery: 10,
  patience: 60,
};

/** Sum of the trees' outputs for one row of features. */
export function predictRow(e: TreeEnsemble, x: ArrayLike<number>, offset = 0): number {
  let s = e.base ? Math.fround(e.base.scale * x[offset + e.base.feature]!) : 0;
  for (const t of e.trees) {
    let n = 0;
    while (t.feature[n]! >= 0) n = Math.fround(x[offset + t.feature[n]!]!) <= t.threshold[n]! ? t.left[n]! : t.right[n]!;
    s += t.value[n]!;
  }
  return s;
}

/** Predictions for `rows` rows of row-major features. */
export function predict(e: TreeEnsemble, x: Float32Array, rows: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = predictRow(e, x, r * e.nFeatures);
  return out;
}

/** Largest |output| the trees can produce (sum over trees of the largest |leaf|; the base term not included). */
export function outputBound(e: TreeEnsemble): number {
  let b = 0;
  for (const t of e.trees) {
    let m = 0;
    for (let n = 0; n < t.feature.length; n++) if (t.feature[n]! < 0) m = Math.max(m, Math.abs(t.value[n]!));
    b += m;
  }
  return b;
}

/** Quantile bin edges per feature: bin(x) = first b with x ≤ edges[b] (the last bin is everything above). */
function binEdges(d: RankingData, maxBins: number): Float32Array[] {
  const f = d.nFeatures;
  const rows = d.label.length;
  const step = Math.max(1, Math.floor(rows / 50_000));
  const out: Float32Array[] = [];
  for (let j = 0; j < f; j++) {
    const sample: number[] = [];
    for (let r = 0; r < rows; r += step) sample.push(d.x[r * f + j]!);
    sample.sort((a, b) => a - b);
    // edges at quantile values (x ≤ edge goes left), deduplicated: a value shared by many rows (0 for
    // "no co-listening") gets a bin of its own
    const edges: number[] = [];
    for (let b = 1; b < maxBins; b++) {
      const e = Math.fround(sample[Math.max(0, Math.floor((b * sample.length) / maxBins) - 1)]!);
      if (e < sample[sample.length - 1]! && (edges.length === 0 || e > edges[edges.length - 1]!)) edges.push(e);
    }
    out.push(Float32Array.from(edges));
  }
  return out;
}

function binRows(d: RankingData, edges: Float32Array[]): Uint8Array {
  const f = d.nFeatures;
  const rows = d.label.length;
  const out = new Uint8Array(rows * f);
  for (let j = 0; j < f; j++) {
    const e = edges[j]!;
    for (let r = 0; r < rows; r++) {
      const x = d.x[r * f + j]!;
      let lo = 0;
      let hi = e.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (x <= e[mid]!) hi = mid;
        else lo = mid + 1;
      }
      out[r * f + j] = lo;
    }
  }
  return out;
}

const discount = (rank: number): number => 1 / Math.log2(rank + 2);

/** Ideal DCG at `k` for `relevant` items of gain 1. */
function idealDcg(relevant: number, k: number): number {
  let s = 0;
  for (let i = 0; i < Math.min(relevant, k); i++) s += discount(i);
  return s;
}

/** Mean NDCG@k of `scores` over the queries (ties: lower row first). */
export function meanNdcg(d: RankingData, scores: ArrayLike<number>, k: number): number {
  const nq = d.queries.length - 1;
  let sum = 0;
  let counted = 0;
  for (let q = 0; q < nq; q++) {
    const lo = d.queries[q]!;
    const hi = d.queries[q + 1]!;
    let pos = 0;
    for (let r = lo; r < hi; r++) if (d.label[r]! > 0) pos++;
    const rel = d.relevant ? d.relevant[q]! : pos;
    if (rel === 0) continue;
    counted++;
    const order = Array.from({ length: hi - lo }, (_, i) => lo + i).sort((a, b) => scores[b]! - scores[a]! || a - b);
    let dcg = 0;
    for (let i = 0; i < Math.min(k, order.length); i++) if (d.label[order[i]!]! > 0) dcg += discount(i);
    sum += dcg / idealDcg(rel, k);
  }
  return counted ? sum / counted : 0;
}

/** Lambda gradients and hessians of NDCG for every row (LightGBM's lambdarank, with its lambda normalisation). */
function lambdas(d: RankingData, scores: Float32Array, p: LambdaMartParams, grad: Float64Array, hess: Float64Array): void {
  grad.fill(0);
  hess.fill(0);
  const nq = d.queries.length - 1;
  for (let q = 0; q < nq; q++) {
    const lo = d.queries[q]!;
    const hi = d.queries[q + 1]!;
    const n = hi - lo;
    const pos: number[] = [];
    for (let r = lo; r < hi; r++) if (d.label[r]! > 0) pos.push(r);
    if (pos.length === 0 || pos.length === n) continue;
    const order = Array.from({ length: n }, (_, i) => lo + i).sort((a, b) => scores[b]! - scores[a]! || a - b);
    const rank = new Int32Array(n);
    order.forEach((r, i) => {
      rank[r - lo] = i;
    });
    const inv = 1 / idealDcg(d.relevant ? Math.max(d.relevant[q]!, pos.length) : pos.length, p.truncation);
    let sumLambda = 0;
    for (const i of pos) {
      const ri = rank[i - lo]!;
      for (let j = lo; j < hi; j++) {
        if (d.label[j]! > 0) continue;
        const rj = rank[j - lo]!;
        if (Math.min(ri, rj) >= p.truncation) continue;
        const deltaNdcg = Math.abs(discount(ri) - discount(rj)) * inv;
        const ps = 1 / (1 + Math.exp(p.sigma * (scores[i]! - scores[j]!)));
        const l = p.sigma * deltaNdcg * ps;
        const h = p.sigma * p.sigma * deltaNdcg * ps * (1 - ps);
        grad[i]! -= l;
        grad[j]! += l;
        hess[i]! += h;
        hess[j]! += h;
        sumLambda += 2 * l;
      }
    }
    if (sumLambda > 0) {
      const norm = Math.log2(1 + sumLambda) / sumLambda;
      for (let r = lo; r < hi; r++) {
        grad[r]! *= norm;
        hess[r]! *= norm;
      }
    }
  }
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
}

interface Leaf {
  node: number;
  depth: number;
  start: number;
  end: number;
  g: number;
  h: number;
  /** features × bins × (gradient, hessian, count) */
  hist: Float64Array;
  best: Split | null;
}

/**
 * Fits the ensemble.
 *
 * @example
 * const model = trainLambdaMart(train, { ...DEFAULT_LAMBDAMART, validation: val });
 */
export function trainLambdaMart(d: RankingData, p: LambdaMartParams): TreeEnsemble {
  const f = d.nFeatures;
  const rows = d.label.length;
  const edges = binEdges(d, Math.min(p.bins, 255));
  const binned = binRows(d, edges);
  const nb = Math.max(...edges.map((e) => e.length + 1));
  const allowed = p.allowed ?? Array.from({ length: f }, (_, j) => j);
  const start = (x: Float32Array, n: number) =>
    p.base ? Float32Array.from({ length: n }, (_, r) => Math.fround(p.base!.scale * x[r * f + p.base!.feature]!)) : new Float32Array(n);
  const scores = start(d.x, rows);
  const vScores = p.validation ? start(p.validation.x, p.validation.label.length) : null;
  const grad = new Float64Array(rows);
  const hess = new Float64Array(rows);
  const order = new Int32Array(rows);
  const scratch = new Int32Array(rows);
  const trees: Tree[] = [];
  let best = { ndcg: vScores ? meanNdcg(p.validation!, vScores, p.evalAt) : -1, trees: 0 };
  if (vScores) p.log?.(`    start: validation NDCG@${p.evalAt} ${best.ndcg.toFixed(4)}`);

  const histogram = (start: number, end: number): Float64Array => {
    const hist = new Float64Array(f * nb * 3);
    for (let k = start; k < end; k++) {
      const r = order[k]!;
      const g = grad[r]!;
      const h = hess[r]!;
      const o = r * f;
      for (const j of allowed) {
        const c = (j * nb + binned[o + j]!) * 3;
        hist[c]! += g;
        hist[c + 1]! += h;
        hist[c + 2]!++;
      }
    }
    return hist;
  };
  const score = (g: number, h: number) => (g * g) / (h + p.l2);
  const bestSplit = (leaf: Leaf): Split | null => {
    if (leaf.depth >= p.maxDepth || leaf.end - leaf.start < 2 * p.minLeafRows) return null;
    const parent = score(leaf.g, leaf.h);
    let out: Split | null = null;
    const n = leaf.end - leaf.start;
    for (const j of allowed) {
      let gl = 0;
      let hl = 0;
      let cl = 0;
      const bins = edges[j]!.length + 1;
      for (let b = 0; b < bins - 1; b++) {
        const c = (j * nb + b) * 3;
        gl += leaf.hist[c]!;
        hl += leaf.hist[c + 1]!;
        cl += leaf.hist[c + 2]!;
        if (cl < p.minLeafRows || hl < p.minLeafHessian) continue;
        if (n - cl < p.minLeafRows) break;
        const hr = leaf.h - hl;
        if (hr < p.minLeafHessian) break;
        const gain = score(gl, hl) + score(leaf.g - gl, hr) - parent;
        if (gain > 1e-12 && (!out || gain > out.gain)) out = { gain, feature: j, bin: b };
      }
    }
    return out;
  };

  for (let t = 0; t < p.trees; t++) {
    lambdas(d, scores, p, grad, hess);
    for (let r = 0; r < rows; r++) order[r] = r;
    let g0 = 0;
    let h0 = 0;
    for (let r = 0; r < rows; r++) {
      g0 += grad[r]!;
      h0 += hess[r]!;
    }
    const nodes = { feature: [-1], threshold: [0], left: [-1], right: [-1], value: [0] };
    const root: Leaf = { node: 0, depth: 0, start: 0, end: rows, g: g0, h: h0, hist: histogram(0, rows), best: null };
    root.best = bestSplit(root);
    const leaves: Leaf[] = [root];
    while (leaves.length < p.leaves) {
      let pick = -1;
      for (let k = 0; k < leaves.length; k++) {
        const b = leaves[k]!.best;
        if (b && (pick < 0 || b.gain > leaves[pick]!.best!.gain)) pick = k;
      }
      if (pick < 0) break;
      const leaf = leaves[pick]!;
      const { feature: j, bin } = leaf.best!;
      // partition rows [start, end) stably: bin ≤ split bin first
      let a = leaf.start;
      let z = 0;
      for (let k = leaf.start; k < leaf.end; k++) {
        const r = order[k]!;
        if (binned[r * f + j]! <= bin) order[a++] = r;
        else scratch[z++] = r;
      }
      order.set(scratch.subarray(0, z), a);
      const mid = a;
      const leftSmaller = mid - leaf.start <= leaf.end - mid;
      const small = leftSmaller ? histogram(leaf.start, mid) : histogram(mid, leaf.end);
      const large = leaf.hist;
      for (let c = 0; c < large.length; c++) large[c]! -= small[c]!;
      const hl = leftSmaller ? small : large;
      const hr = leftSmaller ? large : small;
      let gl = 0;
      let hsl = 0;
      for (let b = 0; b < nb; b++) {
        gl += hl[(j * nb + b) * 3]!;
        hsl += hl[(j * nb + b) * 3 + 1]!;
      }
      const li = nodes.feature.length;
      for (let k = 0; k < 2; k++) {
        nodes.feature.push(-1);
        nodes.threshold.push(0);
        nodes.left.push(-1);
        nodes.right.push(-1);
        nodes.value.push(0);
      }
      nodes.feature[leaf.node] = j;
      nodes.threshold[leaf.node] = edges[j]![bin]!;
      nodes.left[leaf.node] = li;
      nodes.right[leaf.node] = li + 1;
      const left: Leaf = { node: li, depth: leaf.depth + 1, start: leaf.start, end: mid, g: gl, h: hsl, hist: hl, best: null };
      const right: Leaf = {
        node: li + 1,
        depth: leaf.depth + 1,
        start: mid,
        end: leaf.end,
        g: leaf.g - gl,
        h: leaf.h - hsl,
        hist: hr,
        best: null,
      };
      left.best = bestSplit(left);
      right.best = bestSplit(right);
      leaves.splice(pick, 1, left, right);
    }
    for (const leaf of leaves) {
      const v = Math.fround((-leaf.g / (leaf.h + p.l2)) * p.learningRate);
      nodes.value[leaf.node] = v;
      for (let k = leaf.start; k < leaf.end; k++) scores[order[k]!]! += v;
    }
    const tree: Tree = {
      feature: Int32Array.from(nodes.feature),
      threshold: Float32Array.from(nodes.threshold),
      left: Int32Array.from(nodes.left),
      right: Int32Array.from(nodes.right),
      value: Float32Array.from(nodes.value),
    };
    trees.push(tree);
    if (p.validation && vScores) {
      const v = p.validation;
      for (let r = 0; r < vScores.length; r++) vScores[r]! += predictRow({ nFeatures: f, trees: [tree] }, v.x, r * f);
      if ((t + 1) % p.evalEvery === 0 || t + 1 === p.trees) {
        const ndcg = meanNdcg(v, vScores, p.evalAt);
        if (ndcg > best.ndcg) best = { ndcg, trees: t + 1 };
        p.log?.(`    tree ${t + 1}: validation NDCG@${p.evalAt} ${ndcg.toFixed(4)}${best.trees === t + 1 ? ' *' : ''}`);
        if (t + 1 - best.trees >= p.patience) break;
      }
    } else if (p.log && (t + 1) % p.evalEvery === 0) {
      p.log(`    tree ${t + 1}: training NDCG@${p.evalAt} ${meanNdcg(d, scores, p.evalAt).toFixed(4)}`);
    }
  }
  return { nFeatures: f, trees: p.validation ? trees.slice(0, best.trees) : trees, ...(p.base ? { base: p.base } : {}) };
}
