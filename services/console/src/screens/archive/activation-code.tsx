import { useState } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ProblemMessage } from '../../components/problem-message';
import { useFocusAfterSuccess } from '../../components/use-step-focus';
import { instantText } from '../../components/dates';
import { useI18n } from '../../i18n/i18n';

type ActivationCode = components['schemas']['ActivationCodeAnswer'];

/**
 * Issuing the trainee an activation code (domain.md section 9: staff of a related organisation,
 * platform_admin), with which the worker opens their own account at /activate. Which organisation is
 * related is the server's to judge: its refusal (403, 404) is shown in its words; a trainee who has their
 * account already (409 trainee_has_user) in the words for staff (refusalToStaff). The code is shown this
 * once (only its hash is kept), with its expiry and the words telling staff to hand it over in person.
 */
export function IssueActivationCode({ traineeId }: { traineeId: string }) {
  const { t, locale } = useI18n();
  const [issued, setIssued] = useState<ActivationCode | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const sending = useOneAtATime();
  // The code's panel is new content far from the button: focus goes to it, so it is read out at once.
  const afterIssuing = useFocusAfterSuccess<HTMLDivElement>();

  // No Idempotency-Key: a second press after a lost answer issues another code, and the one shown is the one that works.
  const issue = () =>
    sending.once(async () => {
      const { data, error } = await api.POST('/api/v1/trainees/{id}/activation-codes', { params: { path: { id: traineeId } } });
      if (!data) {
        const refused = problemOf(error);
        // The code shown before opened the account, or no longer opens one: not left beside the refusal.
        if (refused.rule === 'trainee_has_user') setIssued(null);
        return setProblem(refusalToStaff(refused, t));
      }
      setProblem(null);
      setIssued(data);
      afterIssuing.focusTarget();
    });

  return (
    <section className="panel activation-code" aria-labelledby="activation-code-title">
      <h2 id="activation-code-title">{t('activation.issue.title')}</h2>
      <p>{t('activation.issue.intro')}</p>
      <button type="button" className="primary" aria-disabled={sending.busy} onClick={() => void issue()}>
        {t(issued ? 'activation.issue.again' : 'activation.issue.submit')}
      </button>
      <ProblemMessage problem={problem} />
      {issued && (
        <div role="status" className="success" tabIndex={-1} ref={afterIssuing.target}>
          <p>{t('activation.issue.done')}</p>
          <dl className="facts">
            <dt>{t('activation.code')}</dt>
            <dd className="activation-code-value" data-code={issued.code}>
              {issued.code}
            </dd>
            <dt>{t('activation.issue.expiresAt')}</dt>
            <dd>{instantText(issued.expiresAt, locale)}</dd>
          </dl>
          <p>{t('activation.issue.handOver')}</p>
        </div>
      )}
    </section>
  );
}

/**
 * rule.trainee_has_user speaks to the person at /activate ("you already have an account"): here staff
 * asked, and are told what the trainee does instead, and what they do when the account is not the person's.
 */
function refusalToStaff(problem: Problem, t: ReturnType<typeof useI18n>['t']): Problem {
  return problem.rule === 'trainee_has_user' ? { message: t('activation.refused.traineeHasUser') } : problem;
}
