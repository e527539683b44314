import { useState } from 'react';
import { api, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { BusinessDateField, useBusinessDate } from '../../components/business-date-field';
import { daysAfter } from '../../components/dates';
import { ConfirmStep } from '../../components/confirm-step';
import { showRefusal, useIdempotencyKey } from '../../components/idempotency-key';
import { KeptReasonField, useKeptReason } from '../../components/kept-reason-field';
import { useOneAtATime } from '../../components/one-at-a-time';
import { percent } from '../../components/percent';
import { useFocusAfterSuccess, useStepFocus } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';
import type { Tier } from './brand';
import { standingAbove } from './standing-tiers';

type Certification = components['schemas']['BrandCertificationEntry'];

/** Every certification decision, with the figures each kept; a standing one of the bureau's tier may be revoked. */
export function BrandHistory({ brandId, certifications, mayRevoke, onRevoked }: { brandId: string; certifications: Certification[]; mayRevoke: Tier | null; onRevoked(): Promise<void> }) {
  const { t } = useI18n();
  // The tier whose certification was just revoked: the step goes with the decision's new status, and the focus
  // goes to the line saying so.
  const [revoked, setRevoked] = useState<Tier | null>(null);
  const afterRevocation = useFocusAfterSuccess<HTMLParagraphElement>();
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t('history.title')}</h2>
      {revoked && (
        <p role="status" className="success" tabIndex={-1} ref={afterRevocation.target}>
          {t('history.revoked', { tier: t(`tier.${revoked}`) })}
        </p>
      )}
      {certifications.length === 0 ? (
        <p>{t('brand.notCertified')}</p>
      ) : (
        <table aria-labelledby="history-title">
          <thead>
            <tr>
              <th scope="col">{t('brand.tier')}</th>
              <th scope="col">{t('history.decidedOn')}</th>
              <th scope="col">{t('history.keptFigures')}</th>
              <th scope="col">{t('history.status')}</th>
            </tr>
          </thead>
          <tbody>
            {certifications.map((certification) => (
              <tr key={`${certification.tier}-${certification.decidedOn}`}>
                <td>{t(`tier.${certification.tier}`)}</td>
                <td>{certification.decidedOn}</td>
                <td>{t('history.figures', { trained: certification.figures.trained, passRate: percent(certification.figures.passRate), employmentRate: percent(certification.figures.employmentRate) })}</td>
                <td>
                  {certification.status === 'revoked' ? (
                    t('history.revokedOn', { date: certification.revokedOn ?? '', reason: certification.revocationReason ?? '' })
                  ) : mayRevoke === certification.tier ? (
                    <RevokeStep
                      brandId={brandId}
                      tier={certification.tier}
                      decidedOn={certification.decidedOn}
                      higher={standingAbove(certifications, certification.tier)}
                      onRevoked={async () => {
                        await onRevoked();
                        setRevoked(certification.tier);
                        afterRevocation.focusTarget();
                      }}
                    />
                  ) : (
                    t('history.standing')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * Revoking the bureau's tier, with its reason and date. A higher tier standing on it (`higher`: a provincial
 * certification decided on this city one) is not revoked with it: the confirmation names it, so the officer
 * does not take the brand for uncertified afterwards.
 */
function RevokeStep({ brandId, tier, decidedOn, higher, onRevoked }: { brandId: string; tier: Tier; decidedOn: string; higher: Certification | undefined; onRevoked(): Promise<void> }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const reason = useKeptReason();
  // Not before the tier was decided; after the day a higher tier was decided on it, which must still stand on it then (the server's rules).
  const revokedOn = useBusinessDate(
    higher && higher.decidedOn >= decidedOn
      ? { date: daysAfter(higher.decidedOn, 1), words: t('revoke.notBeforeHigher', { higher: t(`tierInText.${higher.tier}`), date: higher.decidedOn }) }
      : { date: decidedOn, words: t('revoke.notBeforeDecided', { date: decidedOn }) },
  );
  const [problem, setProblem] = useState<Problem | null>(null);
  const focus = useStepFocus<HTMLInputElement>(confirming);
  // One revocation however often it is sent: pressed again after a lost answer, the API answers the first (not tier_not_certified).
  const idempotency = useIdempotencyKey();
  const sending = useOneAtATime();
  if (!confirming)
    return (
      <>
        {t('history.standing')}{' '}
        <button type="button" className="danger" ref={focus.back} onClick={() => setConfirming(true)}>
          {t('revoke.start')}
        </button>
      </>
    );
  const revoke = async () => {
    // Said at the field (the reason's, or the date's): the focus goes there, and no earlier refusal stays beside it.
    if (reason.refuseIfEmpty()) {
      focus.into.current?.focus();
      return setProblem(null);
    }
    if (revokedOn.focusIfWrong()) return setProblem(null);
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/brands/{id}/certifications/{tier}/revocation', {
        params: { path: { id: brandId, tier }, header: { 'Idempotency-Key': idempotency.key } },
        body: { reason: reason.trimmed, revokedOn: revokedOn.value },
      });
      idempotency.settle(response, error);
      // An earlier sending that got no answer did arrive (the form changed since): the history read again shows it.
      if (!data) return showRefusal(error, setProblem, () => void onRevoked());
      await onRevoked();
    });
  };
  return (
    <ConfirmStep
      title={t('revoke.confirmTitle', { tier: t(`tierInText.${tier}`) })}
      problem={problem}
      confirmText={t('revoke.confirm')}
      busy={sending.busy}
      onConfirm={() => void revoke()}
      onCancel={() => setConfirming(false)}
    >
      {higher && (
        <p id={`higher-${tier}`} data-testid="higher-tier-stands">
          {t('revoke.higherStands', { higher: t(`tierInText.${higher.tier}`), date: higher.decidedOn })}
        </p>
      )}
      <KeptReasonField
        id={`reason-${tier}`}
        label={t('revoke.reason')}
        requiredText={t('revoke.reasonRequired')}
        reason={reason}
        inputRef={focus.into}
        describedBy={higher ? `higher-${tier}` : undefined}
      />
      <BusinessDateField id={`revokedOn-${tier}`} label={t('revoke.date')} date={revokedOn} />
    </ConfirmStep>
  );
}
