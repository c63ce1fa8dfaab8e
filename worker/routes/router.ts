import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import { validationError, zodIssues } from '../errors.ts';

/**
 * A router whose request validation failures become the standard 400 envelope with field paths
 * (`query.limit`, `json.role`, …).
 */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(zodIssues(result.error, result.target));
    },
  });
}
