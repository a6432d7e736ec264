/**
 * Dataset upload over XMLHttpRequest: fetch cannot report upload progress, and a bank's balance
 * export can be hundreds of megabytes, so the wizard needs a real progress bar.
 */
import { failureFromBody, type ApiResult } from './http.ts';
import type { DatasetMeta } from './types.ts';

export interface UploadInput {
  positions: File;
  curves?: File | null;
  schedules?: File | null;
  name: string;
  asOf: string;
  skipInvalid: boolean;
  mapping?: Record<string, string> | null;
  /** a mapping saved in the workspace, used instead of `mapping` */
  mappingName?: string | null;
}

export function uploadForm(input: UploadInput): FormData {
  const form = new FormData();
  // Text fields first: a streaming server parser sees them before the large files.
  if (input.name) form.append('name', input.name);
  if (input.asOf) form.append('as_of', input.asOf);
  if (input.skipInvalid) form.append('skip_invalid', 'true');
  if (input.mappingName) form.append('mapping_name', input.mappingName);
  else if (input.mapping && Object.keys(input.mapping).length > 0) form.append('mapping', JSON.stringify(input.mapping));
  form.append('positions', input.positions, input.positions.name);
  if (input.curves) form.append('curves', input.curves, input.curves.name);
  if (input.schedules) form.append('schedules', input.schedules, input.schedules.name);
  return form;
}

export interface UploadHandle {
  done: Promise<ApiResult<{ dataset: DatasetMeta }>>;
  abort: () => void;
}

export function uploadDataset(url: string, input: UploadInput, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<ApiResult<{ dataset: DatasetMeta }>>((resolve) => {
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve({ ok: true, value: body as { dataset: DatasetMeta } });
      else resolve({ ok: false, error: failureFromBody(xhr.status, body, xhr.statusText) });
    };
    xhr.onerror = () => resolve({ ok: false, error: { status: 0, code: 'network', message: 'The upload was interrupted: check the connection and try again.' } });
    xhr.onabort = () => resolve({ ok: false, error: { status: 0, code: 'aborted', message: 'Upload cancelled.' } });
    xhr.send(uploadForm(input));
  });
  return { done, abort: () => xhr.abort() };
}
