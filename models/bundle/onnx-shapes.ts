/**
 * Reads graph input/output shapes and initializer dims straight from ONNX protobuf bytes, so a
 * loader can check a bundle against its manifest without onnxruntime or a protobuf library (the
 * Worker imports this). Only the few fields needed are decoded; everything else is skipped by length.
 */

/** A dimension is a number when fixed, the symbolic name when dynamic. */
export type Dim = number | string;

export interface OnnxShapes {
  inputs: Map<string, Dim[]>;
  outputs: Map<string, Dim[]>;
  initializers: Map<string, number[]>;
}

// Field numbers from onnx.proto (ModelProto.graph, GraphProto.initializer/input/output, ...).
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
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

interface Field {
  no: number;
  wire: number;
  /** varint value (wire 0) */
  value: number;
  /** bytes (wire 2) */
  bytes: Uint8Array;
}

function* fields(buf: Uint8Array): Generator<Field> {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated protobuf varint');
      const b = buf[pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
  };
  const empty = new Uint8Array(0);
  while (pos < buf.length) {
    const key = varint();
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) yield { no, wire, value: varint(), bytes: empty };
    else if (wire === 2) {
      const len = varint();
      if (pos + len > buf.length) throw new Error('truncated protobuf field');
      const bytes = buf.subarray(pos, pos + len);
      pos += len;
      yield { no, wire, value: 0, bytes };
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

const utf8 = new TextDecoder();

function packedVarints(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = bytes[pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 128;
    }
    out.push(result);
  }
  return out;
}

function valueInfo(bytes: Uint8Array): [string, Dim[]] {
  let name = '';
  const dims: Dim[] = [];
  for (const f of fields(bytes)) {
    if (f.no === VALUE_INFO_NAME) name = utf8.decode(f.bytes);
    else if (f.no === VALUE_INFO_TYPE) {
      for (const t of fields(f.bytes)) {
        if (t.no !== TYPE_TENSOR) continue;
        for (const tt of fields(t.bytes)) {
          if (tt.no !== TENSOR_TYPE_SHAPE) continue;
          for (const d of fields(tt.bytes)) {
            if (d.no !== SHAPE_DIM) continue;
            let dim: Dim = '?';
            for (const dv of fields(d.bytes)) {
              if (dv.no === DIM_VALUE) dim = dv.value;
              else if (dv.no === DIM_PARAM) dim = utf8.decode(dv.bytes);
            }
            dims.push(dim);
          }
        }
      }
    }
  }
  return [name, dims];
}

function initializer(bytes: Uint8Array): [string, number[]] {
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
  for (const f of fields(model)) {
    if (f.no !== MODEL_GRAPH || f.wire !== 2) continue;
    for (const g of fields(f.bytes)) {
      if (g.wire !== 2) continue;
      if (g.no === GRAPH_INPUT) shapes.inputs.set(...valueInfo(g.bytes));
      else if (g.no === GRAPH_OUTPUT) shapes.outputs.set(...valueInfo(g.bytes));
      else if (g.no === GRAPH_INITIALIZER) shapes.initializers.set(...initializer(g.bytes));
    }
  }
  return shapes;
}
