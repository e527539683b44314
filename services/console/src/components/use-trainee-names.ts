import { useEffect, useState } from 'react';
import { api } from '../api/client';

/**
 * Names of the trainees a roster lists. The training service keeps no personal data, so the names are
 * read from the trainee service, each once, as the caller is entitled to see them (an erased person: no name).
 */
export function useTraineeNames(ids: string[]): Record<string, string | null> {
  const [names, setNames] = useState<Record<string, string | null>>({});
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    const missing = key ? key.split(',').filter((id) => !(id in names)) : [];
    if (missing.length === 0) return;
    let cancelled = false;
    void Promise.all(missing.map(async (id) => [id, (await api.GET('/api/v1/trainees/{id}', { params: { path: { id } } })).data?.name ?? null] as const)).then(
      (found) => !cancelled && setNames((current) => ({ ...current, ...Object.fromEntries(found) })),
    );
    return () => {
      cancelled = true;
    };
  }, [key]);
  return names;
}
