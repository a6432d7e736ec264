/**
 * The event stream of one execution, as the API sends it over SSE (one event a message, `seq` as
 * the SSE id so a client reconnecting with Last-Event-ID misses nothing). One schema shared by
 * the runner, the backend and the editor.
 */
import { z } from 'zod';
import { outputSummarySchema } from './outputs.ts';

const base = { executionId: z.string(), seq: z.number().int().min(0), at: z.number() };
const cell = { ...base, cellId: z.string() };

export const progressSchema = z.strictObject({ fraction: z.number().min(0).max(1), etaSeconds: z.number().min(0).optional() });
export type Progress = z.infer<typeof progressSchema>;

export const EXECUTION_STATUSES = ['done', 'failed', 'cancelled'] as const;

export const executionEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('execution-started'), notebookId: z.string(), version: z.number().int(), cells: z.array(z.string()) }),
  z.strictObject({ ...cell, type: z.literal('queued') }),
  z.strictObject({ ...cell, type: z.literal('running'), progress: progressSchema.optional() }),
  z.strictObject({ ...cell, type: z.literal('done'), cacheKey: z.string(), durationMs: z.number().min(0), fromCache: z.boolean(), summary: outputSummarySchema }),
  z.strictObject({ ...cell, type: z.literal('failed'), message: z.string(), line: z.number().int().min(1).optional(), column: z.number().int().min(1).optional() }),
  z.strictObject({ ...cell, type: z.literal('stale'), reason: z.string() }),
  z.strictObject({ ...cell, type: z.literal('cancelled') }),
  /** `ancestor` is the cell that failed (or was cancelled) upstream, however far up. */
  z.strictObject({ ...cell, type: z.literal('blocked'), ancestor: z.string(), reason: z.string() }),
  /** `error`: why the execution could not start at all (its cells' own failures are their events). */
  z.strictObject({ ...base, type: z.literal('execution-finished'), status: z.enum(EXECUTION_STATUSES), counts: z.record(z.string(), z.number().int().min(0)), error: z.string().optional() }),
]);
export type ExecutionEvent = z.infer<typeof executionEventSchema>;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export type CellEventType = Exclude<ExecutionEvent['type'], 'execution-started' | 'execution-finished'>;

/** An event without the fields the execution fills in. */
export type ExecutionEventBody = ExecutionEvent extends infer E ? (E extends ExecutionEvent ? Omit<E, 'executionId' | 'seq' | 'at'> : never) : never;
