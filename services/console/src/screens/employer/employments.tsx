import { useState } from 'react';
import { Link } from 'react-router';
import { api, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { BusinessDateField, useBusinessDate } from '../../components/business-date-field';
import { showRefusal, useIdempotencyKey } from '../../components/idempotency-key';
import { KeptReasonField, useKeptReason } from '../../components/kept-reason-field';
import { ListFooter } from '../../components/list-footer';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ConfirmStep } from '../../components/confirm-step';
import { ProblemMessage } from '../../components/problem-message';
import { useCursorList } from '../../components/use-cursor-list';
import { useFocusAfterSuccess, useStepFocus } from '../../components/use-step-focus';
import { nameInWords, useTraineeNames } from '../../components/use-trainee-names';
import { useI18n } from '../../i18n/i18n';
import { VoidEmploymentStep } from './void-step';

type Employment = components['schemas']['EmploymentAnswer'];
type StatusFilter = '' | 'active' | 'ended';
/** What the line above the list says was just done to whose employment: ended, or voided (gone from the list). */
type Done = { name: string; voided: boolean };

// consistent: a hire or an end just recorded is in the list the moment it is read again.
const employments = (status: StatusFilter, cursor?: string) => api.GET('/api/v1/employments', { params: { query: { status: status || undefined, limit: 20, cursor, consistent: 'true' } } });

/**
 * The employer's employments, newest hire first (names read from the trainee service), each name opening the
 * person's archive, ending an active one and voiding any one recorded in error (inline steps). All of them by
 * default, ended ones too: the page is the employer's record of whom it employed (雇佣记录), and a row just
 * ended stays in sight with its end; a row just voided goes, as if the hire had never been recorded.
 */
export function EmployerEmploymentsPage() {
  const { t, locale } = useI18n();
  const [status, setStatus] = useState<StatusFilter>('');
  const [version, setVersion] = useState(0);
  const list = useCursorList(`${status}:${version}`, (cursor) => employments(status, cursor));
  const names = useTraineeNames(list.items.map((item) => item.traineeId));
  // Whose employment was just ended or voided: the step goes with its row's change, and the focus goes to the line saying so.
  const [done, setDone] = useState<Done | null>(null);
  const afterEnding = useFocusAfterSuccess<HTMLParagraphElement>();
  const say = async (next: Done) => {
    setVersion((current) => current + 1);
    setDone(next);
    afterEnding.focusTarget();
  };

  return (
    <section>
      <h1>{t('employer.employments.title')}</h1>
      {done && (
        <p role="status" className="success" tabIndex={-1} ref={afterEnding.target}>
          {t(done.voided ? 'employer.employments.voided' : 'employer.employments.ended', { name: done.name })}
        </p>
      )}
      <div className="inline-form">
        <label htmlFor="employments-status">{t('employer.employments.filter')}</label>
        <select id="employments-status" value={status} onChange={(event) => setStatus(event.target.value as StatusFilter)}>
          <option value="">{t('employer.employments.all')}</option>
          <option value="active">{t('employer.employment.active')}</option>
          <option value="ended">{t('employer.employment.ended')}</option>
        </select>
      </div>
      <ProblemMessage problem={list.problem} />
      <table>
        <caption className="visually-hidden">{t('employer.employments.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('trainee.name')}</th>
            <th scope="col">{t('employer.hire.startDate')}</th>
            <th scope="col">{t('employer.hire.monthlyWage')}</th>
            <th scope="col">{t('employer.placement.status')}</th>
            <th scope="col">{t('employer.placement.action')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((employment) => {
            const name = nameInWords(names[employment.traineeId], t);
            return (
              <tr key={employment.id}>
                <td>
                  <Link to={`/trainees/${employment.traineeId}/archive`}>{name}</Link>
                </td>
                <td>{employment.startDate}</td>
                <td>{employment.monthlyWage.toLocaleString(locale)}</td>
                <td>
                  {employment.status === 'ended' ? t('employer.employment.endedOn', { date: employment.endDate ?? '', reason: employment.endReason ?? '' }) : t('employer.employment.active')}
                </td>
                <td>
                  {employment.status === 'active' && <EndStep employment={employment} name={name} onEnded={() => say({ name, voided: false })} />}{' '}
                  {/* An ended one too: a hire of the wrong person is put right so, whether ended since or not. */}
                  <VoidEmploymentStep employmentId={employment.id} name={name} onVoided={() => say({ name, voided: true })} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ListFooter list={list} />
    </section>
  );
}

/**
 * Ending, confirmed inline: the reason and the first day no longer employed (today by default, checked at its
 * field, the employment's start among its rules) are given in the step, and nothing is sent before its confirm.
 */
function EndStep({ employment, name, onEnded }: { employment: Employment; name: string; onEnded(): Promise<void> }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  // The server refuses an end before the start (409 ended_before_start); the row holds the start, so the field says it first.
  const endDate = useBusinessDate({ date: employment.startDate, words: t('employer.end.beforeStart', { startDate: employment.startDate }) });
  const reason = useKeptReason();
  const [problem, setProblem] = useState<Problem | null>(null);
  const focus = useStepFocus<HTMLInputElement>(confirming);
  // One ending however often it is sent: pressed again after a lost answer, the API answers the first.
  const idempotency = useIdempotencyKey();
  const sending = useOneAtATime();
  if (!confirming)
    return (
      <button type="button" ref={focus.back} onClick={() => setConfirming(true)}>
        {t('employer.end.start', { name })}
      </button>
    );
  const confirm = async () => {
    // Said at the field (the reason's, or the date's): the focus goes there, and no earlier refusal stays beside it.
    if (reason.refuseIfEmpty()) {
      focus.into.current?.focus();
      return setProblem(null);
    }
    if (endDate.focusIfWrong()) return setProblem(null);
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/employments/{id}/end', {
        params: { path: { id: employment.id }, header: { 'Idempotency-Key': idempotency.key } },
        body: { endDate: endDate.value, reason: reason.trimmed },
      });
      idempotency.settle(response, error);
      // An earlier sending that got no answer did arrive (the form changed since): the list read again shows it.
      if (!data) return showRefusal(error, setProblem, () => void onEnded());
      await onEnded();
    });
  };
  return (
    <ConfirmStep
      title={t('employer.end.confirmTitle', { name })}
      problem={problem}
      confirmText={t('employer.end.confirm')}
      busy={sending.busy}
      onConfirm={() => void confirm()}
      onCancel={() => setConfirming(false)}
    >
      <KeptReasonField id={`end-reason-${employment.id}`} label={t('employer.end.reason')} requiredText={t('employer.end.reasonRequired')} reason={reason} inputRef={focus.into} />
      <BusinessDateField id={`end-date-${employment.id}`} label={t('employer.end.date')} date={endDate} />
    </ConfirmStep>
  );
}
