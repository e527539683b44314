import type { ImportJobAnswer } from '@skills/contracts';
import { waitFor } from './wait-for';

export type ImportJob = ImportJobAnswer;

/** Import jobs over HTTP as a client uses them: multipart upload, polling, the error file. */
export function importClient(baseUrl: string, headers: Record<string, string>) {
  const upload = async (file: { bytes: Buffer; name: string }, fields: Record<string, string>, query = '') => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([file.bytes]), file.name);
    const response = await fetch(`${baseUrl}/api/v1/imports${query}`, { method: 'POST', body: form, headers });
    return { status: response.status, body: (await response.json()) as { id: string; state: string } & Record<string, unknown> };
  };
  const job = async (id: string): Promise<ImportJob> => (await fetch(`${baseUrl}/api/v1/imports/${id}`, { headers })).json() as Promise<ImportJob>;
  /** The job once it is no longer validating or running. */
  const settled = async (id: string): Promise<ImportJob> => {
    let last: ImportJob | undefined;
    await waitFor(async () => {
      last = await job(id);
      return last.state !== 'validating' && last.state !== 'running';
    }, { timeoutMs: 120_000 });
    return last as ImportJob;
  };
  const run = async (id: string, query = '') => {
    const response = await fetch(`${baseUrl}/api/v1/imports/${id}/run${query}`, { method: 'POST', headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const errors = async (id: string) => {
    const response = await fetch(`${baseUrl}/api/v1/imports/${id}/errors`, { headers });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };
  return { upload, job, settled, run, errors };
}
