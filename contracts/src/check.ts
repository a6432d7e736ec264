/** Reading an answer through its contract, for clients (the SPA, tests) that must not trust a shape blindly. */
import type { z } from 'zod';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** `value` parsed by `schema`, or a sentence naming the first field that differs. */
export function checkAnswer<S extends z.ZodType>(schema: S, value: unknown, what = 'answer'): Checked<z.infer<S>> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, message: `The ${what} does not have the contract's shape${where}: ${issue?.message ?? 'unexpected shape'}.` };
}
