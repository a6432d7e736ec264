/** Worker entry (off-thread.ts): reads one bank ZIP export into staging files and posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { readBankZip, type BankZipJob } from './bank-zip.ts';
import type { OffThreadReply } from './off-thread.ts';

const job = (workerData as { input: BankZipJob }).input;
let reply: OffThreadReply<Awaited<ReturnType<typeof readBankZip>>>;
try {
  reply = { ok: true, value: await readBankZip(job.zipPath, job.zipName, job.stagingDir, job.firstSrc, job.explicitMapping, job.limits) };
} catch (error) {
  reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
}
parentPort!.postMessage(reply);
