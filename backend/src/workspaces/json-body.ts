/**
 * `readJson(ctx, schema)`: the route's JSON body (already read, within the route's declared limit,
 * by the one body reader http/body.ts) validated by the one validator (middleware/validate.ts).
 * An empty body counts as `{}`, so a schema of optional fields accepts it.
 */
import type { Context } from 'koa';
import type { z } from 'zod';
import { parseWith } from '../middleware/validate.ts';

export async function readJson<S extends z.ZodType>(ctx: Context, schema: S): Promise<z.infer<S>> {
  return parseWith(schema, ctx.request.body ?? {}) as z.infer<S>;
}
