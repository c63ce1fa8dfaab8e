/**
 * The ONNX protobuf readers, once: graph input/output shapes and initializer dims (so a loader can
 * check a bundle against its manifest) and the values of a float32 initializer, straight from the
 * bytes, without onnxruntime or a protobuf library. Only the few fields needed are decoded;
 * everything else is skipped by length.
 */

import { BundleError } from './bundle-error.ts';

/** A dimension is a number when fixed, the symbolic name when dynamic. */
export type Dim = number | string;

export interface OnnxShapes {
  inputs: Map<string, Dim[]>;
  outputs: Map<string, Dim[]>;
  initializers: Map<string, number[]>;
}

// Field numbers from onnx.proto (ModelProto.graph, GraphProto.initializer/input/output, ...).
export const MODEL_GRAPH = 7;
export const GRAPH_INITIALIZER = 5;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;
const TENSOR_DIMS = 1;
const TENSOR_NAME = 8;
const VALUE_INFO_NAME = 1;
const VALUE_INFO_TYPE = 2;
const TYPE_TENSOR = 1;
const TENSOR_TYPE_SHAPE = 2;
const SHAPE_DIM = 1;
const DIM_VALUE = 1;
const DIM_PARAM = 2;

export interface Field {
  no: number;
  wire: number;
  /** varint value (wire 0) */
  value: number;
  /** payload, a view into the buffer (wire 2: the length-delimited bytes; wire 5: the 4 bytes) */
  bytes: Uint8Array;
}

/** Decodes the varint at `pos`; returns its value and the position after it. */
function varint(buf: Uint8Array, pos: number): [value: number, next: number] {
  let result = 0;
  let mul = 1;
  for (;;) {
    if (pos >= buf.length) throw new BundleError('onnx', 'truncated protobuf varint');
    const b = buf[pos++]!;
    result += (b & 0x7f) * mul;
    if (b < 0x80) return [result, pos];
    mul *= 128;
  }
}

/** The top-level fields of one protobuf message; 64-bit fixed fields (wire 1) are skipped. */
export function* fields(buf: Uint8Array): Generator<Field> {
  let pos = 0;
  const empty = new Uint8Array(0);
  while (pos < buf.length) {
    const [key, afterKey] = varint(buf, pos);
    pos = afterKey;
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      const [value, next] = varint(buf, pos);
      pos = next;
      yield { no, wire, value, bytes: empty };
    } else if (wire === 2) {
      const [len, start] = varint(buf, pos);
      if (start + len > buf.length) throw new BundleError('onnx', 'truncated protobuf field');
      pos = start + len;
      yield { no, wire, value: 0, bytes: buf.subarray(start, pos) };
    } else if (wire === 5) {
      if (pos + 4 > buf.length) throw new BundleError('onnx', 'truncated protobuf field');
      yield { no, wire, value: 0, bytes: buf.subarray(pos, pos + 4) };
      pos += 4;
    } else if (wire === 1) pos += 8;
    else throw new BundleError('onnx', `unsupported protobuf wire type ${wire}`);
  }
}

/** The payloads of the length-delimited fields numbered `no`. */
export function* children(buf: Uint8Array, no: number): Generator<Uint8Array> {
  for (const f of fields(buf)) if (f.no === no && f.wire === 2) yield f.bytes;
}

const utf8 = new TextDecoder();

/** A packed repeated varint field's values. */
export function packedVarints(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let pos = 0; pos < bytes.length; ) {
    const [value, next] = varint(bytes, pos);
    out.push(value);
    pos = next;
  }
  return out;
}

function dim(bytes: Uint8Array): Dim {
  let d: Dim = '?';
  for (const f of fields(bytes)) {
    if (f.no === DIM_VALUE) d = f.value;
    else if (f.no === DIM_PARAM) d = utf8.decode(f.bytes);
  }
  return d;
}

function valueInfo(bytes: Uint8Array): [string, Dim[]] {
  let name = '';
  const dims: Dim[] = [];
  for (const f of fields(bytes)) {
    if (f.no === VALUE_INFO_NAME) name = utf8.decode(f.bytes);
    else if (f.no === VALUE_INFO_TYPE) {
      for (const tensor of children(f.bytes, TYPE_TENSOR))
        for (const shape of children(tensor, TENSOR_TYPE_SHAPE)) for (const d of children(shape, SHAPE_DIM)) dims.push(dim(d));
    }
  }
  return [name, dims];
}

/** An initializer's (TensorProto's) name and dims. */
export function initializerHeader(bytes: Uint8Array): [string, number[]] {
  let name = '';
  const dims: number[] = [];
  for (const f of fields(bytes)) {
    if (f.no === TENSOR_NAME) name = utf8.decode(f.bytes);
    else if (f.no === TENSOR_DIMS) {
      if (f.wire === 0) dims.push(f.value);
      else dims.push(...packedVarints(f.bytes));
    }
  }
  return [name, dims];
}

/**
 * Shapes of a model's graph inputs, outputs and initializers.
 *
 * @example
 * const { outputs } = readOnnxShapes(bytes);
 * outputs.get('user_vector'); // [64]
 */
export function readOnnxShapes(model: Uint8Array): OnnxShapes {
  const shapes: OnnxShapes = { inputs: new Map(), outputs: new Map(), initializers: new Map() };
  for (const graph of children(model, MODEL_GRAPH)) {
    for (const g of fields(graph)) {
      if (g.wire !== 2) continue;
      if (g.no === GRAPH_INPUT) shapes.inputs.set(...valueInfo(g.bytes));
      else if (g.no === GRAPH_OUTPUT) shapes.outputs.set(...valueInfo(g.bytes));
      else if (g.no === GRAPH_INITIALIZER) shapes.initializers.set(...initializerHeader(g.bytes));
    }
  }
  return shapes;
}

/*
 * Reading the values of one float32 initializer. The scorer carries the item embeddings as an
 * initializer; the Worker needs them in JS for diversity (MMR), similar tracks and item neighbours,
 * without a second copy in the bundle. This adds TensorProto's data_type, float_data and raw_data.
 */

// TensorProto field numbers and its FLOAT data type, from onnx.proto.
const TENSOR_DATA_TYPE = 2;
const TENSOR_FLOAT_DATA = 4;
const TENSOR_RAW_DATA = 9;
const FLOAT = 1;

export interface FloatInitializer {
  name: string;
  dims: number[];
  data: Float32Array;
}

/**
 * The float32 initializer called `wanted`, or null when the graph has none.
 *
 * @example const emb = readFloatInitializer(scorerBytes, 'item_embeddings'); // { dims: [N, D], data }
 */
export function readFloatInitializer(model: Uint8Array, wanted: string): FloatInitializer | null {
  for (const graph of children(model, MODEL_GRAPH)) {
    for (const init of children(graph, GRAPH_INITIALIZER)) {
      const [name, dims] = initializerHeader(init);
      if (name !== wanted) continue;
      let type = 0;
      let raw: Uint8Array | null = null;
      let packedFloats: Uint8Array | null = null;
      const floats: number[] = [];
      for (const f of fields(init)) {
        if (f.no === TENSOR_DATA_TYPE) type = f.value;
        else if (f.no === TENSOR_RAW_DATA) raw = f.bytes;
        else if (f.no === TENSOR_FLOAT_DATA) {
          if (f.wire === 2) packedFloats = f.bytes;
          else floats.push(new DataView(f.bytes.buffer, f.bytes.byteOffset, 4).getFloat32(0, true));
        }
      }
      if (type !== FLOAT) continue;
      const bytes = raw ?? packedFloats;
      // slice() copies into an aligned buffer; the protobuf offset is rarely a multiple of 4.
      const data = bytes ? new Float32Array(bytes.slice().buffer) : Float32Array.from(floats);
      return { name, dims, data };
    }
  }
  return null;
}
