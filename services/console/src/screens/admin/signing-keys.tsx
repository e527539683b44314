import { useState } from 'react';
import { api, problemOf, unanswered, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { ConfirmStep } from '../../components/confirm-step';
import { ProblemMessage } from '../../components/problem-message';
import { useOneAtATime } from '../../components/one-at-a-time';
import { useCursorList } from '../../components/use-cursor-list';
import { useFocusAfterSuccess, useStepFocus } from '../../components/use-step-focus';
import { instantText } from '../../components/dates';
import { useI18n } from '../../i18n/i18n';

type SigningKey = components['schemas']['SigningKeyStateAnswer'];

/**
 * The identity service's token-signing keys, newest first: rotating to a new one, and retiring a
 * superseded one at once (one that may have leaked), each with an inline confirmation. A platform admin's.
 */
export function SigningKeysPage() {
  const { t, locale } = useI18n();
  const [version, setVersion] = useState(0);
  // The answer is the whole list, never paged: read through useCursorList for its "only the latest answer counts".
  const list = useCursorList(String(version), () => api.GET('/admin/identity/signing-keys'));
  // A rotation's or retirement's step goes with the list's change: focus goes on to the page's heading.
  const afterChange = useFocusAfterSuccess<HTMLHeadingElement>();
  const changed = () => {
    // A rotation and a retirement may answer one after the other: each reads the list again.
    setVersion((current) => current + 1);
    afterChange.focusTarget();
  };

  return (
    <section>
      <h1 ref={afterChange.target} tabIndex={-1}>
        {t('admin.signingKeys.title')}
      </h1>
      <p>{t('admin.signingKeys.intro')}</p>
      <RotateStep onRotated={changed} onUnanswered={() => setVersion((current) => current + 1)} />
      <ProblemMessage problem={list.problem} />
      <table className="long-ids">
        <caption className="visually-hidden">{t('admin.signingKeys.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.signingKeys.kid')}</th>
            <th scope="col">{t('admin.signingKeys.createdAt')}</th>
            <th scope="col">{t('admin.signingKeys.state')}</th>
            <th scope="col">{t('admin.signingKeys.until')}</th>
            <th scope="col">{t('admin.signingKeys.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((key) => (
            <tr key={key.kid}>
              <td>
                <code>{key.kid}</code>
              </td>
              <td>{instantText(key.createdAt, locale)}</td>
              <td>{t(`admin.signingKeyState.${key.state}`)}</td>
              {/* The signing key has no end: it signs until the next rotation. */}
              <td>{key.until ? instantText(key.until, locale) : '—'}</td>
              <td>{key.state === 'published' && <RetireStep signingKey={key} onRetired={changed} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * Rotating: a first press says what changes (the current key verifies for an hour more); only the second rotates.
 * The rotation takes no Idempotency-Key (the API keeps them for /api/v1 commands only): one that got no answer
 * may have rotated all the same, so the list is read again and the admin is asked to look at it before
 * rotating again, rather than a second press rotating twice unseen.
 */
function RotateStep({ onRotated, onUnanswered }: { onRotated(): void; onUnanswered(): void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [rotatedTo, setRotatedTo] = useState<string | null>(null);
  const [noAnswer, setNoAnswer] = useState(false);
  const focus = useStepFocus<HTMLButtonElement>(confirming);
  const sending = useOneAtATime();

  const rotate = () =>
    sending.once(async () => {
      const { data, error, response } = await api.POST('/admin/identity/signing-keys/rotate');
      setConfirming(false);
      setRotatedTo(data?.kid ?? null);
      setNoAnswer(!data && unanswered(response));
      if (!data) {
        setProblem(problemOf(error));
        if (unanswered(response)) onUnanswered();
        return;
      }
      setProblem(null);
      onRotated();
    });

  return (
    <>
      {confirming ? (
        <ConfirmStep
          title={t('admin.signingKeys.confirmRotate')}
          label={t('admin.signingKeys.rotate')}
          confirmText={t('admin.signingKeys.rotateConfirm')}
          tone="primary"
          confirmRef={focus.into}
          busy={sending.busy}
          onConfirm={() => void rotate()}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <button type="button" className="primary" ref={focus.back} onClick={() => setConfirming(true)}>
          {t('admin.signingKeys.rotate')}
        </button>
      )}
      <ProblemMessage problem={problem} />
      {noAnswer && <p role="status">{t('admin.signingKeys.rotateUnanswered')}</p>}
      {rotatedTo && <p role="status">{t('admin.signingKeys.rotated', { kid: rotatedTo })}</p>}
    </>
  );
}

/** Retiring a superseded key: a first press says what ends (tokens it signed); only the second retires. */
function RetireStep({ signingKey, onRetired }: { signingKey: SigningKey; onRetired(): void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const focus = useStepFocus<HTMLButtonElement>(confirming);
  const sending = useOneAtATime();
  const kid = signingKey.kid;

  const retire = () =>
    sending.once(async () => {
      const { data, error } = await api.POST('/admin/identity/signing-keys/{kid}/retire', { params: { path: { kid } } });
      setConfirming(false);
      if (!data) return setProblem(problemOf(error));
      setProblem(null);
      onRetired();
    });

  return (
    <>
      <ProblemMessage problem={problem} />
      {confirming ? (
        <ConfirmStep
          title={t('admin.signingKeys.confirmRetire', { kid })}
          confirmText={t('admin.signingKeys.retireConfirm', { kid })}
          confirmRef={focus.into}
          busy={sending.busy}
          onConfirm={() => void retire()}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        // The key id is long: the button shows the verb, and names its key to those who hear it out of its row.
        <button type="button" ref={focus.back} aria-label={t('admin.signingKeys.retireFor', { kid })} onClick={() => setConfirming(true)}>
          {t('admin.signingKeys.retire')}
        </button>
      )}
    </>
  );
}
