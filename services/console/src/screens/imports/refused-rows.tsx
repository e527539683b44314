import { useEffect, useState } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { ProblemMessage } from '../../components/problem-message';
import { fieldRuleWords, fieldWords } from '../../components/rule-words';
import { useI18n } from '../../i18n/i18n';

type RefusedRows = components['schemas']['RefusedRowsAnswer'];

/**
 * Why the job's rows were refused, in the reader's words: the first rows the server lists (200), each its
 * row number, its column (`field.*`) and its rule (`fieldRule.*`, as a refusal's), and how many more the
 * CSV download holds. Read again when the count of refused rows changes (a run may refuse more), never
 * while the dry run or the run is at work (the count then moves every second).
 */
export function RefusedRowsList({ jobId, refused, settled }: { jobId: string; refused: number; settled: boolean }) {
  const { t, locale } = useI18n();
  const [answer, setAnswer] = useState<RefusedRows | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    if (!settled || refused === 0) return;
    let stopped = false;
    void api
      .GET('/api/v1/imports/{id}/errors', { params: { path: { id: jobId } }, headers: { accept: 'application/json' } })
      .catch(() => ({ data: undefined, error: undefined }))
      .then(({ data, error }) => {
        if (stopped) return;
        // The JSON answer (asked for by Accept); the CSV's text would be a string.
        if (data && typeof data === 'object') {
          setAnswer(data);
          setProblem(null);
        } else setProblem(problemOf(error));
      });
    return () => {
      stopped = true;
    };
  }, [jobId, refused, settled]);

  if (problem) return <ProblemMessage problem={problem} />;
  if (!answer || answer.items.length === 0) return null;
  const more = answer.total - answer.items.length;
  return (
    <>
      <h2 id="refused-rows-title">{t('imports.refusedRows.title')}</h2>
      <table aria-labelledby="refused-rows-title" data-testid="import-refused-rows">
        <thead>
          <tr>
            <th scope="col">{t('imports.refusedRows.row')}</th>
            <th scope="col">{t('imports.refusedRows.column')}</th>
            <th scope="col">{t('imports.refusedRows.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {answer.items.map((item) => (
            <tr key={item.row}>
              <td>{item.row.toLocaleString(locale)}</td>
              <td>{item.field ? fieldWords(item.field, t) : t('imports.refusedRows.wholeRow')}</td>
              {/* A rule the catalogue has no words for (a newer service's) shows its code, never the server's English detail. */}
              <td>{fieldRuleWords(item.rule, t) ?? <span lang="en">{item.rule}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more > 0 && <p className="hint">{t('imports.refusedRows.more', { count: more.toLocaleString(locale) })}</p>}
    </>
  );
}
