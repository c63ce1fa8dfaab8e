/**
 * Module hooks that let Node import the Worker's Hono app to read its OpenAPI document: modules
 * only workerd provides (`cloudflare:*`) and wasm imported as compiled modules become empty stubs.
 * Nothing from them runs while the document is built; only route declarations do.
 */
import { registerHooks } from 'node:module';

const STUB =
  'data:text/javascript,export default {};export const env={};export const exports={};export class DurableObject{};export class WorkerEntrypoint{};';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier.startsWith('cloudflare:') || specifier.endsWith('.wasm')) return { url: STUB, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
