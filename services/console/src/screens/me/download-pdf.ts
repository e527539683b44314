import { problemOf, type Problem } from '../../api/client';

/**
 * Saves a file the API answered (a PDF, a CSV, a credential: fetched with the session's token, and not a
 * plain link, so a refusal is said rather than saved as the file) under `filename`, through an object URL
 * and a download link, as a browser saves a file. A problem if there was none.
 */
export async function savePdf(request: Promise<{ data?: Blob; error?: unknown }>, filename: string): Promise<Problem | null> {
  const { data, error } = await request;
  if (!data) return problemOf(error);
  const url = URL.createObjectURL(data);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the browser has taken the file.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return null;
}
