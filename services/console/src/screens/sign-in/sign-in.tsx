import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useSearchParams } from 'react-router';
import type { Problem } from '../../api/client';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ProblemMessage } from '../../components/problem-message';
import { useFocusAfterSuccess } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-CN';
import { SessionPending } from '../../layout/session-pending';
import { useSession } from '../../session/session-context';
import { TotpEnrolment } from '../../session/totp-enrolment';
import { CODE, CODE_FIELD, codeOf, notACode } from './one-time-code';
import { TotpEnrolmentStep } from './totp-enrolment-step';

/**
 * Username and password against `/oauth/token`; then back where the user was going, or their workspace.
 * A user with a second factor is asked for it (401 `totp_required`): a one-time code field appears,
 * takes the focus, and the password grant is sent again with the code as `totp`. Every other refusal
 * in its own words: a wrong password is said as such only when the server said so (`invalid_grant`),
 * never for a server in trouble or no answer at all.
 *
 * A user whose role asks a second factor they do not have yet (401 `totp_enrolment_required`) sets it up
 * here, in a step in place of the form (TotpEnrolmentStep, with a token that only enrols, kept in memory);
 * confirmed, the form comes back with the code field, for the next code the app shows.
 */
export function SignInPage() {
  const { t } = useI18n();
  const { me, meProblem, signIn } = useSession();
  const [params] = useSearchParams();
  /** Sent here by /activate when signing in with the account just opened did not work: its username, to sign in with. */
  const activatedAs = (useLocation().state as { activatedAs?: string } | null)?.activatedAs;
  /** The last refusal: the server's problem, or the key of the console's own words for it, put in words when shown (a language switch rewords it). */
  const [failure, setFailure] = useState<Problem | MessageKey | null>(null);
  /** `code`: the server asked for the second factor's code; `enrol`: for one to be set up first. */
  const [step, setStep] = useState<'password' | 'code' | 'enrol'>('password');
  const needsCode = step === 'code';
  /** The second factor being set up, and the username and password it was asked with: in memory only. */
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  /** Set up a moment ago: the code field says that the next code signs in. */
  const [enrolled, setEnrolled] = useState(false);
  const [code, setCode] = useState('');
  /** The code's rule said at the field once a submit found it wrong (or at once, for a character that is no digit). */
  const [codeChecked, setCodeChecked] = useState(false);
  const codeField = useRef<HTMLInputElement>(null);
  // Back from the enrolment, the form is shown again: focus goes to its first field once it is.
  const backToForm = useFocusAfterSuccess<HTMLInputElement>();
  const sending = useOneAtATime();

  useEffect(() => {
    if (needsCode) codeField.current?.focus();
  }, [needsCode]);

  // The enrolment ends with the page: its token goes with it.
  useEffect(() => () => enrolment?.end(), [enrolment]);

  if (me) return <Navigate to={params.get('next') ?? '/'} replace />;

  const codeWrong = !CODE.test(codeOf(code));
  const codeError = needsCode && ((codeChecked && codeWrong) || notACode(code));

  const backToPassword = () => {
    setEnrolment(null);
    setStep('password');
    setEnrolled(false);
    setCode('');
    setCodeChecked(false);
    backToForm.focusTarget();
  };

  const enrolmentConfirmed = () => {
    setEnrolment(null);
    setEnrolled(true);
    setCode('');
    setCodeChecked(false);
    setStep('code');
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (needsCode && codeWrong) {
      setCodeChecked(true);
      return codeField.current?.focus();
    }
    await sending.once(async () => {
      // The last refusal goes as this attempt starts: one said again (a second wrong password) is a new alert, announced again.
      setFailure(null);
      const username = String(form.get('username'));
      const password = String(form.get('password'));
      const answer = await signIn(username, password, needsCode ? codeOf(code) : undefined);
      if (answer.ok) return;
      const { problem } = answer;
      if (problem.rule === 'totp_required') {
        setFailure(null);
        setStep('code');
        return codeField.current?.focus();
      }
      if (problem.rule === 'totp_enrolment_required') {
        setFailure(null);
        setEnrolment(new TotpEnrolment(username, password));
        return setStep('enrol');
      }
      if (problem.rule === 'invalid_grant') {
        // With a code, the password was right a moment ago: most likely the code (each works once) is not.
        if (needsCode) {
          setCode('');
          setCodeChecked(false);
          codeField.current?.focus();
        }
        return setFailure(needsCode ? 'signIn.refusedWithCode' : 'signIn.refused');
      }
      if (problem.status === 429) return setFailure('signIn.tooManyAttempts');
      setFailure(problem);
    });
  };

  return (
    <section className="narrow">
      <h1>{t('signIn.title')}</h1>
      {meProblem && <SessionPending />}
      {activatedAs && (
        <p role="status" className="success">
          {t('activate.signInNow')}
        </p>
      )}
      {step === 'enrol' && enrolment && <TotpEnrolmentStep enrolment={enrolment} onConfirmed={enrolmentConfirmed} onCancel={backToPassword} />}
      {/* Hidden, not gone, while the second factor is set up: what was typed stays for the sign-in after. */}
      <form onSubmit={submit} noValidate hidden={step === 'enrol'}>
        <label htmlFor="username">{t('signIn.username')}</label>
        <input
          id="username"
          name="username"
          ref={backToForm.target}
          autoComplete="username"
          defaultValue={activatedAs}
          required
          onChange={() => {
            // Another user: their own password first, and a code only if they have a second factor.
            if (!needsCode) return;
            setStep('password');
            setEnrolled(false);
            setCode('');
            setCodeChecked(false);
          }}
        />
        <label htmlFor="password">{t('signIn.password')}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        {needsCode && (
          <>
            {enrolled && (
              <p id="totp-enrolled" role="status" className="success">
                {t('signIn.enrol.done')}
              </p>
            )}
            <label htmlFor="totp">{t('signIn.totp')}</label>
            <input
              id="totp"
              name="totp"
              ref={codeField}
              value={code}
              onChange={(event) => setCode(event.target.value)}
              {...CODE_FIELD}
              aria-invalid={codeError ? true : undefined}
              aria-describedby={[enrolled ? 'totp-enrolled' : '', 'totp-hint', codeError ? 'totp-error' : ''].filter(Boolean).join(' ')}
            />
            <p id="totp-hint" className="hint">
              {t(enrolled ? 'signIn.enrol.nextCodeHint' : 'signIn.totpHint')}
            </p>
            {codeError && (
              <p id="totp-error" className="field-error">
                {t('signIn.totpDigits')}
              </p>
            )}
          </>
        )}
        <ProblemMessage problem={typeof failure === 'string' ? { message: t(failure) } : failure} />
        {/* aria-disabled, not disabled, while it is sent: a disabled button loses the keyboard's focus. */}
        <button type="submit" className="primary" aria-disabled={sending.busy}>
          {t('signIn.submit')}
        </button>
      </form>
      {/* No reset by e-mail or SMS: a person's password is set anew by an administrator who knows them. */}
      <p className="hint">{t('worker.signIn.forgotPassword', { trainee: t('worker.forgotPassword.trainee') })}</p>
      <p>
        <Link to="/activate">{t('signIn.activate')}</Link>
      </p>
      <p>
        <Link to="/verify">{t('signIn.verifyWithoutAccount')}</Link>
      </p>
    </section>
  );
}
