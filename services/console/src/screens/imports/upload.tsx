import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import { earlierSendingArrived, useIdempotencyKey } from '../../components/idempotency-key';
import { LARGEST_PAGE, loadAllPages } from '../../components/load-all-pages';
import { ProblemMessage } from '../../components/problem-message';
import { useOneAtATime } from '../../components/one-at-a-time';
import { useI18n } from '../../i18n/i18n';
import { MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS, MAX_UPLOAD_BYTES, templateUrl, type ImportKind } from './import-kinds';
import { IMPORT_JOBS_PATH } from './jobs';

/** What the picker shows of a course. */
type Course = { id: string; title: string; startDate: string; endDate: string };

/**
 * Uploading a file to import: its kind is the page's, a course for enrolments and results, the template
 * to start from. The upload only starts the dry run; the job's page shows what it found before anything
 * is written.
 */
export function UploadPage({ kind }: { kind: ImportKind }) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [courseId, setCourseId] = useState(params.get('courseId') ?? '');
  const [problem, setProblem] = useState<Problem | null>(null);
  // A file over the server's limit, said at the field as soon as it is chosen (not after minutes of upload and a 413).
  const [tooLarge, setTooLarge] = useState(false);
  const sending = useOneAtATime();
  // One job however often the file is sent: pressed again after a lost answer (a long upload's connection
  // dropped), the API answers the job the first sending made rather than checking the file twice.
  const idempotency = useIdempotencyKey();
  const forCourse = kind === 'enrolments_and_results';
  // In binary megabytes, as the server counts it (64 MiB is 67,108,864 bytes).
  const largest = `${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = new FormData(event.currentTarget).get('file');
    if (forCourse && !courseId) return setProblem({ message: t('imports.upload.pickCourse') });
    // With no file chosen the browser still sends an empty, nameless File.
    if (!(file instanceof File) || !file.name) return setProblem({ message: t('imports.upload.pickFile') });
    if (file.size > MAX_UPLOAD_BYTES) {
      setTooLarge(true);
      return document.getElementById('import-file')?.focus();
    }
    await sending.once(async () => {
      setProblem(null);
      // Through the one API client (its session token, renewed on a 401); openapi-fetch sends a FormData
      // body as multipart with the browser's boundary.
      const { data, error, response } = await api
        .POST('/api/v1/imports', {
          params: { header: { 'Idempotency-Key': idempotency.key } },
          // The document types a binary part as a string; the browser sends the File itself.
          body: { kind, courseId: forCourse ? courseId : undefined, file: file as unknown as string },
          bodySerializer: (body) => {
            const form = new FormData();
            form.append('kind', body.kind);
            if (body.courseId) form.append('courseId', body.courseId);
            form.append('file', file, file.name);
            return form;
          },
        })
        .catch(() => ({ data: undefined, error: undefined, response: undefined }));
      idempotency.settle(response, error);
      if (!data) {
        const refusal = problemOf(error);
        // Another file or course sent with the key of a sending that got no answer, which did arrive: there is
        // no list of imports to look in, so the page says what became of it (a dry run, nothing written).
        return setProblem(earlierSendingArrived(refusal) ? { message: t('imports.upload.earlierArrived', { submit: t('imports.upload.submit') }) } : refusal);
      }
      navigate(`/imports/${data.id}`);
    });
  };

  return (
    <section className="narrow">
      <h1>{t(`imports.kind.${kind}`)}</h1>
      <p>{t('imports.upload.intro')}</p>
      <p className="template-links">
        <a className="button-link" href={templateUrl(kind, 'xlsx')} download aria-describedby="template-hint">
          {t('importTemplates.xlsx')}
        </a>{' '}
        <a className="button-link" href={templateUrl(kind)} download>
          {t('imports.upload.template')}
        </a>
      </p>
      <p id="template-hint" className="hint">
        {t('importTemplates.hint')}
      </p>
      <p>
        <Link to={IMPORT_JOBS_PATH}>{t('importJobs.listLink')}</Link>
      </p>
      <form className="panel" onSubmit={submit} noValidate>
        {forCourse && <CoursePicker courseId={courseId} onChange={setCourseId} />}
        <label htmlFor="import-file">{t('imports.upload.file')}</label>
        <input
          id="import-file"
          name="file"
          type="file"
          accept=".csv,.xlsx"
          required
          onChange={(event) => setTooLarge((event.target.files?.[0]?.size ?? 0) > MAX_UPLOAD_BYTES)}
          aria-invalid={tooLarge ? true : undefined}
          aria-describedby={tooLarge ? 'import-file-hint import-file-error' : 'import-file-hint'}
        />
        <p id="import-file-hint" className="hint">
          {t('imports.upload.fileHint', { largest, rows: MAX_IMPORT_ROWS.toLocaleString(locale), columns: MAX_IMPORT_COLUMNS })}
        </p>
        {tooLarge && (
          <p id="import-file-error" className="field-error">
            {t('imports.upload.tooLarge', { largest })}
          </p>
        )}
        <ProblemMessage problem={problem} />
        {sending.busy && <p role="status">{t('imports.upload.sending')}</p>}
        {/* aria-disabled, not disabled, while it is sent: a disabled button loses the keyboard's focus. */}
        <button type="submit" className="primary" aria-disabled={sending.busy}>
          {t('imports.upload.submit')}
        </button>
      </form>
    </section>
  );
}

/** The school's courses, newest first (GET /courses answers only the caller's own provider's). */
function CoursePicker({ courseId, onChange }: { courseId: string; onChange(courseId: string): void }) {
  const { t } = useI18n();
  const [courses, setCourses] = useState<Course[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    let stale = false;
    void loadAllPages((cursor) => api.GET('/api/v1/courses', { params: { query: { limit: LARGEST_PAGE, cursor, consistent: 'true' } } })).then(({ data, error }) => {
      if (stale) return;
      setCourses(data ?? []);
      setProblem(data ? null : problemOf(error));
    });
    return () => {
      stale = true;
    };
  }, []);

  if (!courses) return <p role="status">{t('common.loading')}</p>;
  if (problem) return <ProblemMessage problem={problem} />;
  if (courses.length === 0) return <p role="status">{t('imports.upload.noCourses')}</p>;
  return (
    <>
      <label htmlFor="import-course">{t('imports.upload.course')}</label>
      <select id="import-course" name="courseId" value={courseId} onChange={(event) => onChange(event.target.value)} required>
        <option value="">{t('imports.upload.chooseCourse')}</option>
        {courses.map((course) => (
          <option key={course.id} value={course.id}>
            {course.title} · {course.startDate} – {course.endDate}
          </option>
        ))}
      </select>
    </>
  );
}
