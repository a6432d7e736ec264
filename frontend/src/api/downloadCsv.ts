import { failureFromBody, type ApiResult } from './http.ts';

/** POSTs a query and saves the CSV answer as a file (a plain link cannot carry a JSON body). */
export async function downloadCsv(url: string, body: unknown, fileName: string): Promise<ApiResult<null>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'text/csv' },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: { status: 0, code: 'network', message: 'The server cannot be reached.' } };
  }
  if (!response.ok) {
    const parsed: unknown = await response.json().catch(() => null);
    return { ok: false, error: failureFromBody(response.status, parsed, response.statusText) };
  }
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return { ok: true, value: null };
}
