/**
 * A small ONNX graph builder over the generated onnx.proto bindings (npm `onnx-proto`, ONNX 1.10
 * schema, IR 8), so graphs are written as a list of standard ops instead of hand-built protobuf.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

// Values from onnx.proto's TensorProto.DataType and AttributeProto.AttributeType.
const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

export const OPSET = 17;

export type Attr = number | string | number[] | { float: number };
export type Dim = number | string;

export class GraphBuilder {
  readonly #nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  readonly #inits: InstanceType<typeof onnx.TensorProto>[] = [];
  readonly #inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  readonly #outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  #counter = 0;

  input(name: string, type: 'float' | 'int64', dims: Dim[]): string {
    this.#inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(name: string, type: 'float' | 'int64', dims: Dim[]): void {
    this.#outputs.push(valueInfo(name, type, dims));
  }

  /** A float initializer (stored as raw little-endian bytes). */
  floats(name: string, data: Float32Array | number[], dims: number[]): string {
    const a = data instanceof Float32Array ? data : Float32Array.from(data);
    if (a.length !== dims.reduce((p, q) => p * q, 1)) throw new Error(`initializer ${name}: ${a.length} values for dims [${dims}]`);
    this.#inits.push(
      onnx.TensorProto.create({ name, dataType: FLOAT, dims, rawData: new Uint8Array(a.buffer, a.byteOffset, a.byteLength) }),
    );
    return name;
  }

  ints(name: string, data: number[], dims: number[]): string {
    const a = BigInt64Array.from(data.map((v) => BigInt(v)));
    this.#inits.push(onnx.TensorProto.create({ name, dataType: INT64, dims, rawData: new Uint8Array(a.buffer) }));
    return name;
  }

  /** An int32 initializer: half the bytes of int64 for large index tables (Gather/ScatterElements take either). */
  int32s(name: string, data: Int32Array, dims: number[]): string {
    if (data.length !== dims.reduce((p, q) => p * q, 1)) throw new Error(`initializer ${name}: ${data.length} values for dims [${dims}]`);
    this.#inits.push(
      onnx.TensorProto.create({ name, dataType: INT32, dims, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }),
    );
    return name;
  }

  /** A float scalar constant (shape []). */
  scalar(value: number, name = this.#fresh('c')): string {
    return this.floats(name, [value], []);
  }

  /** Adds a node; returns its (first) output name. */
  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, output = this.#fresh(opType.toLowerCase())): string {
    const attribute = Object.entries(attrs).map(([name, v]) => {
      if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: ATTR_STRING, s: new TextEncoder().encode(v) });
      if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: ATTR_INTS, ints: v });
      if (typeof v === 'object') return onnx.AttributeProto.create({ name, type: ATTR_FLOAT, f: v.float });
      return onnx.AttributeProto.create({ name, type: ATTR_INT, i: v });
    });
    this.#nodes.push(onnx.NodeProto.create({ opType, input: inputs, output: [output], name: output, attribute }));
    return output;
  }

  /** Serialises a ModelProto (IR 8, default domain at OPSET). */
  toBytes(graphName: string, metadata: Record<string, string> = {}): Uint8Array {
    const graph = onnx.GraphProto.create({
      name: graphName,
      node: this.#nodes,
      initializer: this.#inits,
      input: this.#inputs,
      output: this.#outputs,
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'backbeat-trainer',
      opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: OPSET })],
      graph,
      metadataProps: Object.entries(metadata).map(([key, value]) => onnx.StringStringEntryProto.create({ key, value })),
    });
    return onnx.ModelProto.encode(model).finish();
  }

  #fresh(prefix: string): string {
    return `${prefix}_${this.#counter++}`;
  }
}

function valueInfo(name: string, type: 'float' | 'int64', dims: Dim[]): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: type === 'float' ? FLOAT : INT64,
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((d) => onnx.TensorShapeProto.Dimension.create(typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        }),
      }),
    }),
  });
}
