/**
 * A one-node ONNX graph, `scores[1, N] = MatMul(user[1, D], item_embeddings_t[D, N])`, built at load
 * time from the scorer's own item embeddings. Scoring the whole catalogue through scorer.onnx makes
 * onnxruntime Gather all N rows before its MatMul (about 16 ms for 50 000 × 64 in onnxruntime-web);
 * this graph gives the same numbers (yᵢ·u, summed in another order) in under a millisecond. Hand-encoded
 * protobuf: the Worker cannot use protobufjs (it generates code with `new Function`).
 */

const enc = new TextEncoder();

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function concat(parts: ReadonlyArray<Uint8Array | number[]>): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const key = (field: number, wire: number) => varint(field * 8 + wire);
const int = (field: number, v: number) => concat([key(field, 0), varint(v)]);
const bytes = (field: number, payload: Uint8Array | string) => {
  const b = typeof payload === 'string' ? enc.encode(payload) : payload;
  return concat([key(field, 2), varint(b.length), b]);
};

// onnx.proto field numbers.
const FLOAT = 1;
function valueInfo(name: string, dims: number[]): Uint8Array {
  const shape = concat(dims.map((d) => bytes(1, int(1, d))));
  const tensorType = concat([int(1, FLOAT), bytes(2, shape)]);
  return concat([bytes(1, name), bytes(2, bytes(1, tensorType))]);
}

export const MATVEC_INPUT = 'user';
export const MATVEC_OUTPUT = 'scores';

/**
 * ONNX bytes for scores = user · embeddingsᵀ, with `embeddings` row-major [rows, dims].
 *
 * @example const bytes = matvecModel(itemEmbeddings, 50_000, 64);
 */
export function matvecModel(embeddings: Float32Array, rows: number, dims: number): Uint8Array {
  const transposed = new Float32Array(rows * dims);
  for (let r = 0; r < rows; r++) for (let d = 0; d < dims; d++) transposed[d * rows + r] = embeddings[r * dims + d] as number;
  const init = concat([
    int(1, dims),
    int(1, rows),
    int(2, FLOAT),
    bytes(8, 'item_embeddings_t'),
    bytes(9, new Uint8Array(transposed.buffer)),
  ]);
  const node = concat([bytes(1, MATVEC_INPUT), bytes(1, 'item_embeddings_t'), bytes(2, MATVEC_OUTPUT), bytes(4, 'MatMul')]);
  const graph = concat([
    bytes(1, node),
    bytes(2, 'backbeat_matvec'),
    bytes(5, init),
    bytes(11, valueInfo(MATVEC_INPUT, [1, dims])),
    bytes(12, valueInfo(MATVEC_OUTPUT, [1, rows])),
  ]);
  // ir_version 8, opset 17 (the scorer's).
  return concat([int(1, 8), bytes(8, int(2, 17)), bytes(7, graph)]);
}
