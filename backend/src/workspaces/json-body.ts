/**
 * JSON bodies of workspace routes, validated by a zod schema. Uses the body an outer parser has
 * already read when there is one, else reads the request itself (bounded).
 */
import type { Context } from 'koa';
import type { z } from 'zod';
import { apiError } from './api-error.ts';

const MAX_JSON_BYTES = 20 * 1024 * 1024;

async function readRaw(ctx: Context): Promise<unknown> {
  const parsed = (ctx.request as { body?: unknown }).body;
  if (parsed !== undefined) return parsed;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw apiError(413, 'payload_too_large', `Request body is larger than ${MAX_JSON_BYTES / 1024 / 1024} MB.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw apiError(400, 'invalid_json', 'Request body is not valid JSON.');
  }
}

export async function readJson<S extends z.ZodType>(ctx: Context, schema: S): Promise<z.infer<S>> {
  const raw = await readRaw(ctx);
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const first = issues[0];
  const message = first ? `Invalid request body${first.path ? ` at "${first.path}"` : ''}: ${first.message}` : 'Invalid request body.';
  throw apiError(422, 'validation_failed', message, { issues });
}
