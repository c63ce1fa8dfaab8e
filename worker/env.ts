import type { Principal } from './auth/principal.ts';

/**
 * Hono environment for every route: bindings come from the generated `Env`
 * (worker-configuration.d.ts, made by `wrangler types`), variables are set by middleware.
 */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    principal: Principal;
    /** This request's CSP nonce, set by hono/secure-headers' NONCE (the /docs <style>). */
    secureHeadersNonce?: string;
  };
}
