import { useEffect, useState } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import { hasMessage, type Translate } from '../../i18n/i18n';

export type Ladder = NonNullable<Awaited<ReturnType<typeof loadLadder>>['data']>;
export type Archive = NonNullable<Awaited<ReturnType<typeof loadArchive>>['data']>;

const loadLadder = (traineeId: string) => api.GET('/api/v1/ladder/trainees/{traineeId}', { params: { path: { traineeId }, query: { consistent: 'true' } } });
const loadArchive = (id: string) => api.GET('/api/v1/trainees/{id}/archive', { params: { path: { id }, query: { consistent: 'true' } } });

/** One of the trainee's own readings (archive or ladder): the answer, or the problem that stood in its way. */
function useReading<T>(traineeId: string | null | undefined, load: (id: string) => Promise<{ data?: T; error?: unknown }>) {
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    if (!traineeId) return;
    let stale = false;
    void load(traineeId).then(({ data: answer, error }) => {
      if (stale) return;
      if (answer) setData(answer);
      else setProblem(problemOf(error));
    });
    return () => {
      stale = true;
    };
  }, [traineeId]);
  return { data, problem };
}

export const useMyLadder = (traineeId: string | null | undefined) => useReading<Ladder>(traineeId, loadLadder);
export const useMyArchive = (traineeId: string | null | undefined) => useReading<Archive>(traineeId, loadArchive);

export const levelWords = (level: string | null | undefined, t: Translate): string => (level && hasMessage(`level.${level}`) ? t(`level.${level}` as 'level.junior') : (level ?? '—'));
