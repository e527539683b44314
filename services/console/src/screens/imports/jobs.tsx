import { Link } from 'react-router';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { instantText } from '../../components/dates';
import { ListFooter } from '../../components/list-footer';
import { ProblemMessage } from '../../components/problem-message';
import { useCursorList } from '../../components/use-cursor-list';
import { useI18n } from '../../i18n/i18n';
import type { WorkspaceLink } from '../../layout/workspace-link';

type ListedJob = components['schemas']['ImportJobListItem'];

/** The list of the organisation's import jobs: where a job is found again once its page is left. */
export const IMPORT_JOBS_PATH = '/imports';

/**
 * The organisation's import jobs, newest first, each linked to its page: the way back to a job left
 * checked but not run (待导入), or to an earlier file's refused rows, once its page is closed.
 */
export function ImportJobsPage({ uploads }: { uploads: WorkspaceLink[] }) {
  const { t, locale } = useI18n();
  const list = useCursorList<ListedJob>('imports', (cursor) => api.GET('/api/v1/imports', { params: { query: { limit: 20, cursor } } }));
  const number = (value: number) => value.toLocaleString(locale);
  // Nothing uploaded yet: said, with the way to upload (instead of the lists' "nothing found").
  const empty = !list.loading && !list.problem && !list.hasMore && list.items.length === 0;

  return (
    <section>
      <h1>{t('importJobs.title')}</h1>
      <p>{t('importJobs.intro')}</p>
      <ProblemMessage problem={list.problem} />
      {empty ? (
        <>
          <p role="status">{t('importJobs.empty')}</p>
          <UploadLinks uploads={uploads} />
        </>
      ) : (
        <>
          <table>
            <caption className="visually-hidden">{t('importJobs.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('importJobs.file')}</th>
                <th scope="col">{t('importJobs.kind')}</th>
                <th scope="col">{t('importJobs.state')}</th>
                <th scope="col">{t('importJobs.counts')}</th>
                <th scope="col">{t('importJobs.uploadedAt')}</th>
                <th scope="col">{t('importUploader.column')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((job) => (
                <tr key={job.id}>
                  <td>
                    <Link to={`/imports/${job.id}`}>{job.fileName ?? t('importJobs.unnamed')}</Link>
                  </td>
                  <td>{t(`imports.kind.${job.kind}`)}</td>
                  <td>{job.waitingFor ? t('imports.state.waiting') : t(`imports.state.${job.state}`)}</td>
                  <td>
                    {t('importJobs.countsLine', {
                      total: number(job.total),
                      created: number(job.created),
                      alreadyPresent: number(job.alreadyPresent),
                      corrected: number(job.corrected),
                      refused: number(job.refused),
                    })}
                  </td>
                  <td>{instantText(job.createdAt, locale)}</td>
                  <td>
                    <Uploader uploadedBy={job.uploadedBy} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ListFooter list={list} />
        </>
      )}
    </section>
  );
}

/**
 * Who uploaded a job: the colleague's username, or the API key a program sent the file with; a job
 * uploaded before jobs kept either says "—".
 */
function Uploader({ uploadedBy }: { uploadedBy: ListedJob['uploadedBy'] }) {
  const { t } = useI18n();
  if (uploadedBy.apiKey) return <>{t('importUploader.apiKey', { clientId: uploadedBy.apiKey.clientId })}</>;
  if (uploadedBy.username) return <>{uploadedBy.username}</>;
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">{t('importUploader.unknown')}</span>
    </>
  );
}

/** The upload pages of the kinds the user imports. */
function UploadLinks({ uploads }: { uploads: WorkspaceLink[] }) {
  const { t } = useI18n();
  return (
    <>
      <p>{t('importJobs.uploadHere')}</p>
      <ul>
        {uploads.map((upload) => (
          <li key={upload.to}>
            <Link to={upload.to}>{t(upload.label)}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}
