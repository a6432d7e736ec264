/** Messages between the sandbox (server thread) and its worker. Internal: both ends are ours. */
import type { MessagePort } from 'node:worker_threads';
import type { TsCellLimits } from '../../config.ts';
import type { CellResult } from './cell-result.ts';

export interface RunRequest {
  type: 'run';
  runId: number;
  source: string;
  /** JSON text of the inputs (name → CellValue) */
  inputs: string;
  limits: TsCellLimits;
}

export interface InitRequest {
  type: 'init';
  /** Int32 flag the server sets (and notifies) when a host-call reply is on `replies` */
  signal: SharedArrayBuffer;
  replies: MessagePort;
  limits: TsCellLimits;
}

export type ToWorker = InitRequest | RunRequest;

export type FromWorker =
  | { type: 'ready' }
  | { type: 'host-call'; runId: number; seq: number; op: string; payload: string }
  | { type: 'result'; runId: number; result: CellResult };

export type HostReply =
  | { seq: number; ok: true; value: string }
  /** `fatal` ends the cell whatever it catches */
  | { seq: number; ok: false; message: string; fatal?: 'host-call-limit' };
