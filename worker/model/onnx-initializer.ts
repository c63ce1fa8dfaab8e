/**
 * Reads the values of one float32 initializer out of ONNX protobuf bytes. The scorer carries the
 * item embeddings as an initializer; the Worker needs them in JS for diversity (MMR), similar
 * tracks and item neighbours, without a second copy in the bundle. models/bundle/onnx-shapes.ts
 * reads shapes only; this reads data, decoding just TensorProto's dims, data_type, name, float_data
 * and raw_data.
 */

// Field numbers from onnx.proto.
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR_DIMS = 1;
const TENSOR_DATA_TYPE = 2;
const TENSOR_FLOAT_DATA = 4;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
const FLOAT = 1;

type Field = { no: number; wire: number; value: number; start: number; end: number };

function* fields(buf: Uint8Array, from = 0, to = buf.length): Generator<Field> {
  let pos = from;
  const varint = (): number => {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (pos >= to) throw new Error('truncated protobuf varint');
      const b = buf[pos++] as number;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
  };
  while (pos < to) {
    const key = varint();
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      yield { no, wire, value: varint(), start: pos, end: pos };
    } else if (wire === 2) {
      const len = varint();
      if (pos + len > to) throw new Error('truncated protobuf field');
      yield { no, wire, value: len, start: pos, end: pos + len };
      pos += len;
    } else if (wire === 5) {
      yield { no, wire, value: 0, start: pos, end: pos + 4 };
      pos += 4;
    } else if (wire === 1) {
      pos += 8;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

function packedVarints(buf: Uint8Array, start: number, end: number): number[] {
  const out: number[] = [];
  let pos = start;
  while (pos < end) {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = buf[pos++] as number;
      result += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 128;
    }
    out.push(result);
  }
  return out;
}

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
  for (const g of fields(model)) {
    if (g.no !== MODEL_GRAPH || g.wire !== 2) continue;
    for (const init of fields(model, g.start, g.end)) {
      if (init.no !== GRAPH_INITIALIZER || init.wire !== 2) continue;
      let name = '';
      let type = 0;
      const shape: number[] = [];
      let raw: [number, number] | null = null;
      const floats: number[] = [];
      let packedFloats: [number, number] | null = null;
      for (const f of fields(model, init.start, init.end)) {
        if (f.no === TENSOR_DIMS) {
          if (f.wire === 0) shape.push(f.value);
          else shape.push(...packedVarints(model, f.start, f.end));
        } else if (f.no === TENSOR_DATA_TYPE) type = f.value;
        else if (f.no === TENSOR_NAME) name = new TextDecoder().decode(model.subarray(f.start, f.end));
        else if (f.no === TENSOR_RAW_DATA) raw = [f.start, f.end];
        else if (f.no === TENSOR_FLOAT_DATA) {
          if (f.wire === 2) packedFloats = [f.start, f.end];
          else floats.push(new DataView(model.buffer, model.byteOffset + f.start, 4).getFloat32(0, true));
        }
      }
      if (type !== FLOAT || name !== wanted) continue;
      const span = raw ?? packedFloats;
      // slice() copies into an aligned buffer; the protobuf offset is rarely a multiple of 4.
      const data = span ? new Float32Array(model.slice(span[0], span[1]).buffer) : Float32Array.from(floats);
      return { name, dims: shape, data };
    }
  }
  return null;
}
