import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, problemOf, unanswered, type Problem } from '../../api/client';
import { ConfirmStep } from '../../components/confirm-step';
import { ProblemMessage } from '../../components/problem-message';
import { useStepFocus } from '../../components/use-step-focus';
import { useOneAtATime } from '../../components/one-at-a-time';
import { useI18n } from '../../i18n/i18n';
import { DownloadButton } from '../me/download-button';
import { savePdf as saveDownload } from '../me/download-pdf';
import { uploadPath, type ImportJob } from './import-kinds';
import { RefusedRowsList } from './refused-rows';

/** How often a job is read again while it works: its numbers move, nothing else on the page does. */
const POLL_MS = 1000;
const working = (job: ImportJob) => job.state === 'validating' || job.state === 'running';

/**
 * An import job: its state in words (announced when it changes), its progress and counts; once the dry
 * run is done, what it refused and the choice to run (skipping the refused rows only after confirming).
 */
export function ImportJobPage() {
  const { t, locale } = useI18n();
  const { id = '' } = useParams();
  const { job, problem, retrying, readAgain } = useImportJob(id);
  const stateLine = useRef<HTMLParagraphElement>(null);
  const readProblem = (
    <ProblemMessage problem={problem}>
      {retrying && <p>{t('imports.job.readingAgain')}</p>}
    </ProblemMessage>
  );
  if (!job) return problem ? readProblem : <p role="status">{t('common.loading')}</p>;
  const number = (value: number) => value.toLocaleString(locale);

  return (
    <section className="narrow">
      <h1>{t(`imports.kind.${job.kind}`)}</h1>
      {/* Only the state is announced (a run waiting for another's is said so): the numbers below change every second and would drown it. */}
      <p role="status" tabIndex={-1} ref={stateLine} className={`import-state import-state-${job.state}`}>
        {job.waitingFor ? t('imports.state.waiting') : t(`imports.state.${job.state}`)}
      </p>
      {job.state === 'failed' && (job.failureRule || job.failure) && (
        <p className="small">
          {/* The rule in the reader's words; a job that failed before jobs kept one says the server's English. */}
          {job.failureRule ? (
            t(`imports.failure.${job.failureRule}`)
          ) : (
            <>
              {t('imports.job.failedBecause', { failure: '' })}
              <span lang="en">{job.failure}</span>
            </>
          )}
        </p>
      )}
      {job.state !== 'ready' && (
        <>
          <h2>{t('imports.job.progressTitle')}</h2>
          {/* Without a value while the dry run judges: it counts no rows done until the run. */}
          <progress className="import-progress" aria-labelledby="import-progress-words" max={Math.max(job.total, 1)} value={job.state === 'validating' ? undefined : job.done} />
          <p id="import-progress-words">{job.state === 'validating' ? t('imports.job.checking', { total: number(job.total) }) : t('imports.job.progress', { done: number(job.done), total: number(job.total) })}</p>
        </>
      )}
      <h2>{t('imports.job.counts')}</h2>
      <dl className="facts">
        <dt>{t('imports.count.created')}</dt>
        <dd data-testid="import-created">{number(job.created)}</dd>
        <dt>{t('imports.count.alreadyPresent')}</dt>
        <dd data-testid="import-already-present">{number(job.alreadyPresent)}</dd>
        <dt>{t('imports.count.corrected')}</dt>
        <dd data-testid="import-corrected">{number(job.corrected)}</dd>
        <dt>{t('imports.count.refused')}</dt>
        <dd data-testid="import-refused">{number(job.refused)}</dd>
        {job.rowsPerSecond !== null && (
          <>
            <dt>{t('imports.count.rowsPerSecond')}</dt>
            <dd>{t('imports.job.rowsPerSecond', { rate: number(job.rowsPerSecond) })}</dd>
          </>
        )}
      </dl>
      {/* Rows refused for the uploader's lookups of the hour say why and when they can go in: the error file names the rule, the page the remedy. */}
      {job.tooManyLookups > 0 && (
        <p className="hint" data-testid="import-too-many-lookups">
          {t('imports.tooManyLookups', { count: number(job.tooManyLookups) })}
        </p>
      )}
      {job.state === 'ready' && (
        <RunStep
          job={job}
          onStarted={() => {
            readAgain();
            // The step is gone with the state: the reader is taken to the state line that replaces it.
            stateLine.current?.focus();
          }}
        />
      )}
      <RefusedRowsList jobId={id} refused={job.refused} settled={!working(job)} />
      {/* In any state: a job that failed after its dry run still has its refused rows to correct; while the dry run goes on, the file holds those refused so far. */}
      {job.refused > 0 && (
        <DownloadButton
          label={t('imports.errors.download')}
          download={() => saveDownload(api.GET('/api/v1/imports/{id}/errors', { params: { path: { id } }, parseAs: 'blob' }), `import-${id.slice(0, 8)}-refused-rows.csv`)}
        />
      )}
      {(job.state === 'done' || job.state === 'failed') && (
        <p>
          <Link className="button-link" to={uploadPath(job.kind, job.courseId ?? undefined)}>
            {t('imports.again')}
          </Link>
        </p>
      )}
      {readProblem}
    </section>
  );
}

/** The longest wait between two reads that failed: doubled from POLL_MS after each, up to this. */
const LONGEST_WAIT_MS = 30_000;

/**
 * Whether a failed read is worth asking again: not a refusal that asking again cannot change (403: not the
 * job's organisation; 404: no such job; 400: no job's id in the address). Every other failure passes: no
 * answer at all, a gateway's 502 while a service restarts, a 5xx, 429, and a 401 the session could not
 * renew for now (api/client.ts renews on a 401; a refused renewal signs out, which leaves the page).
 */
const readsAgainAfter = (status: number) => status >= 500 || status === 429 || status === 401;

/** How long to wait after `failures` reads failed in a row: the server's Retry-After when it said one, else doubling. */
const waitAfter = (failures: number, response: Response | undefined): number => {
  const retryAfter = Number(response?.headers.get('Retry-After'));
  const doubling = Math.min(POLL_MS * 2 ** failures, LONGEST_WAIT_MS);
  return Number.isFinite(retryAfter) && retryAfter > 0 ? Math.max(retryAfter * 1000, doubling) : doubling;
};

/**
 * The job, read every POLL_MS while it works; `readAgain` after asking it to run. A read that failed for a
 * while (see readsAgainAfter) is asked again, ever more slowly, its problem shown until a read succeeds: a
 * run of an hour outlasts a service's restart. `retrying` says the page goes on asking by itself.
 */
function useImportJob(id: string) {
  const [job, setJob] = useState<ImportJob | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [retrying, setRetrying] = useState(false);
  const [reading, setReading] = useState(0);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const read = async () => {
      const answer = await api.GET('/api/v1/imports/{id}', { params: { path: { id } } }).catch(() => null);
      if (stopped) return;
      if (answer?.data) {
        failures = 0;
        setJob(answer.data);
        setProblem(null);
        setRetrying(false);
        if (!working(answer.data)) return;
        timer = setTimeout(() => void read(), POLL_MS);
        return;
      }
      // The server's answer, if any (none: the network, or the console's made-up one), its status shown too when its body is no problem (a gateway's own page).
      const response = answer && !unanswered(answer.response) ? answer.response : undefined;
      setProblem(response ? { status: response.status, ...problemOf(answer?.error) } : {});
      const again = !response || readsAgainAfter(response.status);
      setRetrying(again);
      if (again) timer = setTimeout(() => void read(), waitAfter(failures++, answer?.response));
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, reading]);

  return { job, problem, retrying, readAgain: () => setReading((count) => count + 1) };
}

/**
 * The run, once the dry run is done: at once when every row passed; with refused rows only by leaving
 * them out, confirmed in an inline step that says how many rows go in and how many stay out.
 */
function RunStep({ job, onStarted }: { job: ImportJob; onStarted(): void }) {
  const { t, locale } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const starting = useOneAtATime();
  const [problem, setProblem] = useState<Problem | null>(null);
  const focus = useStepFocus<HTMLButtonElement>(confirming);
  const good = (job.total - job.refused).toLocaleString(locale);
  const refused = job.refused.toLocaleString(locale);

  const run = (skipRefused: boolean) =>
    starting.once(async () => {
      const { data, error } = await api.POST('/api/v1/imports/{id}/run', { params: { path: { id: job.id }, query: skipRefused ? { skipRefused } : {} } }).catch(() => ({ data: undefined, error: undefined }));
      setConfirming(false);
      if (!data) return setProblem(problemOf(error));
      onStarted();
    });

  if (job.refused === 0)
    return (
      <div className="panel">
        <p>{t('imports.ready.allGood', { total: job.total.toLocaleString(locale) })}</p>
        <ProblemMessage problem={problem} />
        {/* aria-disabled, not disabled, while it is sent: a disabled button loses the keyboard's focus. */}
        <button type="button" className="primary" aria-disabled={starting.busy} onClick={() => void run(false)}>
          {t('imports.run.start')}
        </button>
      </div>
    );
  return (
    <div className="panel">
      <p>{t('imports.ready.refused', { refused, good })}</p>
      <p className="hint">{t('imports.ready.fixHint')}</p>
      <ProblemMessage problem={problem} />
      {job.total > job.refused &&
        (confirming ? (
          <ConfirmStep
            title={t('imports.skip.confirmTitle', { good, refused })}
            label={t('imports.skip.start')}
            confirmText={t('imports.skip.confirm')}
            tone="primary"
            confirmRef={focus.into}
            busy={starting.busy}
            onConfirm={() => void run(true)}
            onCancel={() => setConfirming(false)}
          />
        ) : (
          <button type="button" ref={focus.back} onClick={() => setConfirming(true)}>
            {t('imports.skip.start')}
          </button>
        ))}
    </div>
  );
}
