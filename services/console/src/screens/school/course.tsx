import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { BusinessDateField, useBusinessDate } from '../../components/business-date-field';
import { daysAfter } from '../../components/dates';
import { showRefusal, useIdempotencyKey } from '../../components/idempotency-key';
import { LARGEST_PAGE, loadAllPages } from '../../components/load-all-pages';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ConfirmStep } from '../../components/confirm-step';
import { ProblemMessage } from '../../components/problem-message';
import { useFocusAfterSuccess, useStepFocus } from '../../components/use-step-focus';
import { nameInWords, useTraineeNames } from '../../components/use-trainee-names';
import { useI18n } from '../../i18n/i18n';
import { uploadPath } from '../imports/import-kinds';
import { EnrolForm, lastOpenDay } from './enrol-form';
import { CourseCorrectionStep } from './course-correction-step';
import { VoidEnrolmentStep } from './enrolment-void-step';

type Course = components['schemas']['CourseAnswer'];
type RosterEntry = components['schemas']['RosterEntryAnswer'];

/** A course: its seats taken of its capacity (read again after every change), its roster, enrol, withdraw and void (recorded in error). */
export function CoursePage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const [course, setCourse] = useState<Course | null>(null);
  const [roster, setRoster] = useState<RosterEntry[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  // A voided registration's person is not asked for: the row says the registration is voided instead.
  const names = useTraineeNames(roster.filter((entry) => !entry.registrationVoided).map((entry) => entry.traineeId));
  const nameOf = (entry: RosterEntry) => (entry.registrationVoided ? t('roster.registrationVoided') : nameInWords(names[entry.traineeId], t));
  // A result dated on or after the course's end leaves no day a withdrawal could take (after the result, not after the end).
  const resultClosesWithdrawal = (entry: RosterEntry, endDate: string) => entry.assessment !== null && entry.assessment !== undefined && entry.assessment.assessedOn >= endDate;
  // Who was just withdrawn: the step goes with its row's change, and the focus goes to the line saying so.
  const [withdrawn, setWithdrawn] = useState<string | null>(null);
  const afterWithdrawal = useFocusAfterSuccess<HTMLParagraphElement>();
  // Whose enrolment was just voided: its row goes, and the focus goes to the line saying so (one line at a time).
  const [voided, setVoided] = useState<string | null>(null);
  const afterVoid = useFocusAfterSuccess<HTMLParagraphElement>();
  // A refused withdrawal whose row the roster read again no longer offers (withdrawn meanwhile in another tab)
  // takes its step, and the focus, away: the focus then goes to the roster's heading (nothing was done to say).
  const afterRefusal = useFocusAfterSuccess<HTMLHeadingElement>({ onlyIfLost: true });
  // The course just corrected: the step closes, and the focus goes to the line saying so.
  const [corrected, setCorrected] = useState(false);
  const afterCorrection = useFocusAfterSuccess<HTMLParagraphElement>();
  // Read again after each change: only the latest reading counts, whichever answers last.
  const latestLoad = useRef(0);

  const load = useCallback(async () => {
    const request = ++latestLoad.current;
    const [courseAnswer, rosterAnswer] = await Promise.all([
      api.GET('/api/v1/courses/{id}', { params: { path: { id } } }),
      // The whole roster, page after page (a course may have thousands of seats), with the clerk's own last change in it.
      loadAllPages((cursor) => api.GET('/api/v1/courses/{id}/enrollments', { params: { path: { id }, query: { limit: LARGEST_PAGE, cursor, consistent: 'true' } } })),
    ]);
    if (request !== latestLoad.current) return;
    if (!courseAnswer.data) return setProblem(problemOf(courseAnswer.error));
    setCourse(courseAnswer.data);
    setRoster(rosterAnswer.data ?? []);
    setProblem(rosterAnswer.data ? null : problemOf(rosterAnswer.error));
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!course) return problem ? <ProblemMessage problem={problem} /> : <p role="status">{t('common.loading')}</p>;
  const full = course.enrolled >= course.capacity;
  return (
    <section>
      <div className="page-title">
        <h1>{course.title}</h1>
        <div className="actions">
          <Link className="button-link primary" to={`/school/courses/${id}/results`}>
            {t('course.enterResults')}
          </Link>
          <Link className="button-link" to={uploadPath('enrolments_and_results', id)}>
            {t('imports.kind.enrolments_and_results')}
          </Link>
        </div>
      </div>
      <dl className="facts">
        <dt>{t('course.occupation')}</dt>
        <dd>{course.occupationCode}</dd>
        <dt>{t('course.dates')}</dt>
        <dd>
          {course.startDate} – {course.endDate}
        </dd>
        <dt>{t('course.seats')}</dt>
        <dd aria-live="polite" data-testid="seats">
          {t('course.seatsTaken', { enrolled: course.enrolled, capacity: course.capacity })}
          {full ? ` · ${t('course.full')}` : ''}
        </dd>
      </dl>
      {corrected && (
        <p role="status" className="success" tabIndex={-1} ref={afterCorrection.target}>
          {t('course.corrected')}
        </p>
      )}
      <CourseCorrectionStep
        key={`${course.title}|${course.capacity}|${course.startDate}|${course.endDate}`}
        course={course}
        onCorrected={async () => {
          await load();
          setCorrected(true);
          afterCorrection.focusTarget();
        }}
        onRefused={load}
      />
      <EnrolForm courseId={id} endDate={course.endDate} disabled={full} onEnrolled={load} />
      <h2 ref={afterRefusal.target} tabIndex={-1}>
        {t('course.roster')}
      </h2>
      {withdrawn && (
        <p role="status" className="success" tabIndex={-1} ref={afterWithdrawal.target}>
          {t('course.withdrawn', { name: withdrawn })}
        </p>
      )}
      {voided && (
        <p role="status" className="success" tabIndex={-1} ref={afterVoid.target}>
          {t('course.enrolmentVoided', { name: voided })}
        </p>
      )}
      <ProblemMessage problem={problem} />
      <table>
        <caption className="visually-hidden">{t('course.roster')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('trainee.name')}</th>
            <th scope="col">{t('roster.enrolledOn')}</th>
            <th scope="col">{t('roster.status')}</th>
            <th scope="col">{t('roster.result')}</th>
            <th scope="col">{t('roster.action')}</th>
          </tr>
        </thead>
        <tbody>
          {roster.map((entry) => (
            <tr key={entry.enrollmentId}>
              <td>{nameOf(entry)}</td>
              <td>{entry.enrolledOn}</td>
              <td>{entry.status === 'withdrawn' ? t('roster.withdrawnOn', { date: entry.withdrawnOn ?? '' }) : t('roster.enrolled')}</td>
              <td>{entry.assessment ? t(entry.assessment.passed ? 'results.passedWithScore' : 'results.failedWithScore', { score: entry.assessment.score }) : '—'}</td>
              <td>
                {/* A voided registration keeping its seat (it had a result) is offered no withdrawal, as the grid offers it nothing; only the void below. */}
                {entry.status === 'enrolled' && !entry.registrationVoided && resultClosesWithdrawal(entry, course.endDate) && t('withdraw.afterResult', { assessedOn: entry.assessment?.assessedOn ?? '' })}
                {entry.status === 'enrolled' && !entry.registrationVoided && !resultClosesWithdrawal(entry, course.endDate) && (
                  <WithdrawStep
                    courseId={id}
                    endDate={course.endDate}
                    assessedOn={entry.assessment?.assessedOn}
                    traineeId={entry.traineeId}
                    name={nameOf(entry)}
                    onWithdrawn={async () => {
                      await load();
                      setVoided(null);
                      setWithdrawn(nameOf(entry));
                      afterWithdrawal.focusTarget();
                    }}
                    onRefused={async () => {
                      await load();
                      afterRefusal.focusTarget();
                    }}
                  />
                )}
                {/* Any enrolment, withdrawn or not, also after the course ended, a voided registration's too: recorded in error, it goes with its results. */}
                <VoidEnrolmentStep
                  courseId={id}
                  entry={entry}
                  name={nameOf(entry)}
                  onVoided={async () => {
                    await load();
                    setWithdrawn(null);
                    setVoided(nameOf(entry));
                    afterVoid.focusTarget();
                  }}
                  onRefused={async () => {
                    await load();
                    afterRefusal.focusTarget();
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {roster.length === 0 && !problem && <p role="status">{t('course.nobodyEnrolled')}</p>}
    </section>
  );
}

/**
 * Withdrawal, confirmed inline: the step shows who leaves and on which date before anything is sent. The date
 * is today, or the course's last day once it has ended (no later withdrawal is taken), for a trainee with a
 * result too. Checked at its field, a date on or before the result's too (no earlier withdrawal is taken:
 * withdrawn_before_assessment).
 * Sent with an Idempotency-Key, so pressing again after a lost answer gets the first answer, not not_enrolled.
 * A 409 reads the roster again (`onRefused`): it says the roster has moved on (the trainee withdrawn meanwhile,
 * in another tab, say), and the row read again shows how.
 */
function WithdrawStep({
  courseId,
  endDate,
  assessedOn,
  traineeId,
  name,
  onWithdrawn,
  onRefused,
}: {
  courseId: string;
  endDate: string;
  /** The standing result's date, if there is one (before the course's end: the roster offers no step otherwise). */
  assessedOn?: string;
  traineeId: string;
  name: string;
  onWithdrawn(): Promise<void>;
  onRefused(): Promise<void>;
}) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const withdrawnOn = useBusinessDate(assessedOn ? { date: daysAfter(assessedOn, 1), words: t('withdraw.notAfterResult', { assessedOn }) } : undefined);
  const [problem, setProblem] = useState<Problem | null>(null);
  // Back to the button on Cancel; into the step, to its one field, below (BusinessDateField's own input, out of `into`'s reach).
  const focus = useStepFocus<HTMLInputElement>(confirming);
  useEffect(() => {
    if (confirming) withdrawnOn.inputRef.current?.focus();
  }, [confirming, withdrawnOn.inputRef]);
  const sending = useOneAtATime();
  // One withdrawal however often it is sent: pressed again after a lost answer, the API answers the first.
  const idempotency = useIdempotencyKey();
  if (!confirming)
    return (
      <button
        type="button"
        ref={focus.back}
        onClick={() => {
          // Today, or the course's last day once it has ended, with a result too: the day after the result could be
          // months past, which a tired clerk would record. An earlier date is said at the field (notBefore).
          withdrawnOn.setValue(lastOpenDay(endDate));
          setConfirming(true);
        }}
      >
        {t('withdraw.start', { name })}
      </button>
    );
  const confirm = async () => {
    // Said at the field already (cleared, after today, or not after the result): the focus goes there, and no earlier refusal stays beside it.
    if (withdrawnOn.focusIfWrong()) return setProblem(null);
    await sending.once(async () => {
      const { error, response } = await api.DELETE('/api/v1/courses/{id}/enrollments/{traineeId}', {
        params: { path: { id: courseId, traineeId }, query: { withdrawnOn: withdrawnOn.value }, header: { 'Idempotency-Key': idempotency.key } },
      });
      idempotency.settle(response, error);
      if (response.ok) return onWithdrawn();
      // idempotency_key_reused (the date changed after a lost answer that did arrive) reads the roster again itself.
      showRefusal(error, setProblem, () => void onRefused());
      if (response.status === 409) await onRefused();
    });
  };
  return (
    <ConfirmStep
      title={t('withdraw.confirmTitle', { name })}
      problem={problem}
      confirmText={t('withdraw.confirm')}
      busy={sending.busy}
      onConfirm={() => void confirm()}
      onCancel={() => setConfirming(false)}
    >
      <BusinessDateField id={`withdrawn-${traineeId}`} label={t('withdraw.date')} date={withdrawnOn} />
    </ConfirmStep>
  );
}
