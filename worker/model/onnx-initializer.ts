/**
 * Reads the values of one float32 initializer out of ONNX protobuf bytes. The scorer carries the
 * item embeddings as an initializer; the Worker needs them in JS for diversity (MMR), similar
 * tracks and item neighbours, without a second copy in the bundle. The protobuf walking is
 * models/bundle/onnx-shapes.ts's (the same reader that checks a bundle's shapes); this adds
 * TensorProto's data_type, float_data and raw_data.
 */

import { children, fields, GRAPH_INITIALIZER, initializerHeader, MODEL_GRAPH } from '../../models/bundle/onnx-shapes.ts';

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
