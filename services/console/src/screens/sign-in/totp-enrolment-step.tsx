import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Problem } from '../../api/client';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ProblemMessage } from '../../components/problem-message';
import { QrCode } from '../../components/qr-code';
import { useI18n } from '../../i18n/i18n';
import type { EnrolledSecret, TotpEnrolment } from '../../session/totp-enrolment';
import { CODE, CODE_FIELD, codeOf, groupedSecret, notACode } from './one-time-code';

/**
 * The sign-in page's step for a user whose role asks a second factor they do not have yet (401
 * totp_enrolment_required), on the page rather than in a dialog: said in words in three steps (an app, the
 * account added to it by its QR code or by typing the key, a code to confirm), the key shown this once as
 * text in groups of four with a button to copy it. Confirmed, the page goes on to the sign-in's code field:
 * the confirming code was used, and the next one the app shows signs in.
 */
export function TotpEnrolmentStep({ enrolment, onConfirmed, onCancel }: { enrolment: TotpEnrolment; onConfirmed(): void; onCancel(): void }) {
  const { t } = useI18n();
  const [secret, setSecret] = useState<EnrolledSecret | null>(null);
  const [startProblem, setStartProblem] = useState<Problem | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const [code, setCode] = useState('');
  /** What is wrong with the code, said at its field: its form (checked on submit), or the server found it not right. */
  const [codeError, setCodeError] = useState<'digits' | 'refused' | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const codeField = useRef<HTMLInputElement>(null);
  const starting = useOneAtATime();
  const sending = useOneAtATime();
  const started = useRef(false);

  const once = starting.once;
  const start = useCallback(
    () =>
      once(async () => {
        setStartProblem(null);
        const answer = await enrolment.start();
        if (answer.ok) setSecret(answer.value);
        else setStartProblem(answer.problem);
      }),
    [enrolment, once],
  );

  // On opening, the step's heading takes the focus; the enrolment starts once (a remount in development's
  // strict mode included): enrolling again would replace the key shown.
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    heading.current?.focus();
    void start();
  }, [start]);

  const copy = async () => {
    if (!secret) return;
    const ok = await navigator.clipboard?.writeText(secret.secret).then(
      () => true,
      () => false,
    );
    setCopied(ok ?? false);
  };

  const confirm = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!CODE.test(codeOf(code))) {
      setCodeError('digits');
      return codeField.current?.focus();
    }
    await sending.once(async () => {
      const answer = await enrolment.confirm(codeOf(code));
      if (answer.ok) return onConfirmed();
      const refused = answer.problem.errors?.some((error) => error.rule === 'totp_code_invalid');
      if (refused) {
        setProblem(null);
        setCode('');
        setCodeError('refused');
        return codeField.current?.focus();
      }
      setProblem(answer.problem);
    });
  };

  const showError = codeError === 'refused' ? 'refused' : (codeError === 'digits' && !CODE.test(codeOf(code))) || notACode(code) ? 'digits' : null;

  return (
    <section aria-labelledby="enrol-title">
      <h2 id="enrol-title" ref={heading} tabIndex={-1}>
        {t('signIn.enrol.title')}
      </h2>
      <p>{t('rule.totp_enrolment_required')}</p>
      <p>{t('signIn.enrol.intro')}</p>
      {!secret && !startProblem && <p role="status">{t('signIn.enrol.preparing')}</p>}
      {startProblem && (
        <>
          <ProblemMessage problem={startProblem} />
          <button type="button" aria-disabled={starting.busy} onClick={() => void start()}>
            {t('common.tryAgain')}
          </button>
        </>
      )}
      {secret && (
        <>
          <h3>{t('signIn.enrol.step1')}</h3>
          <p>{t('signIn.enrol.step1Text')}</p>
          <h3>{t('signIn.enrol.step2')}</h3>
          <p>{t('signIn.enrol.step2Text')}</p>
          <QrCode url={secret.otpauthUri} alt={t('signIn.enrol.qrAlt')} />
          <p>{t('signIn.enrol.typeKey')}</p>
          <p>
            <code className="totp-secret" data-testid="totp-secret">
              {groupedSecret(secret.secret)}
            </code>
          </p>
          <button type="button" onClick={() => void copy()}>
            {t('signIn.enrol.copy')}
          </button>
          {copied !== null && <p role="status">{copied ? t('signIn.enrol.copied') : t('signIn.enrol.copyFailed')}</p>}
          <h3>{t('signIn.enrol.step3')}</h3>
          <form onSubmit={(event) => void confirm(event)} noValidate>
            <label htmlFor="enrol-code">{t('signIn.enrol.code')}</label>
            <input
              id="enrol-code"
              name="code"
              ref={codeField}
              value={code}
              onChange={(event) => {
                setCode(event.target.value);
                if (codeError === 'refused') setCodeError(null);
              }}
              {...CODE_FIELD}
              aria-invalid={showError ? true : undefined}
              aria-describedby={showError ? 'enrol-code-hint enrol-code-error' : 'enrol-code-hint'}
            />
            <p id="enrol-code-hint" className="hint">
              {t('signIn.enrol.codeHint')}
            </p>
            {showError && (
              <p id="enrol-code-error" className="field-error">
                {showError === 'refused' ? t('signIn.enrol.codeRefused') : t('signIn.totpDigits')}
              </p>
            )}
            <ProblemMessage problem={problem} />
            <div className="actions step-actions">
              <button type="submit" className="primary" aria-disabled={sending.busy}>
                {t('signIn.enrol.confirm')}
              </button>
              <button type="button" onClick={onCancel}>
                {t('signIn.enrol.cancel')}
              </button>
            </div>
          </form>
        </>
      )}
      {!secret && (
        <p>
          <button type="button" onClick={onCancel}>
            {t('signIn.enrol.cancel')}
          </button>
        </p>
      )}
    </section>
  );
}
