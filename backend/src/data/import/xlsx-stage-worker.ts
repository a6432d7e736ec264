/** Worker entry (off-thread.ts): stages one positions workbook and posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import type { OffThreadReply } from './off-thread.ts';
import { stageXlsxFile, type XlsxStageJob, type XlsxStageResult } from './xlsx-stage.ts';

const job = (workerData as { input: XlsxStageJob }).input;
let reply: OffThreadReply<XlsxStageResult>;
try {
  reply = { ok: true, value: await stageXlsxFile(job) };
} catch (error) {
  reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
}
parentPort!.postMessage(reply);
