import { describe, expect, it } from 'vitest';
import { createSession, runSession, Tensor } from '../../../worker/model/onnx-runtime.ts';

const RELU = Uint8Array.from(atob('CAhCAhAROjkKDAoBeBIBeSIEUmVsdRIBZ1oSCgF4Eg0KCwgBEgcKBQoDEgFOYhIKAXkSDQoLCAESBwoFCgMSAU4='), (c) =>
  c.charCodeAt(0),
);

describe('onnxruntime in workerd', () => {
  it('Should run a model from bytes with the imported wasm module', async () => {
    const session = await createSession(RELU);
    const out = await runSession(session, { x: new Tensor('float32', Float32Array.from([-1, 2, -3]), [3]) });
    expect(Array.from(out.y?.data as Float32Array)).toEqual([0, 2, 0]);
  });
});
