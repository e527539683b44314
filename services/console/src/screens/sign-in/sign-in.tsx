import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import type { Problem } from '../../api/client';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ProblemMessage } from '../../components/problem-message';
import { useI18n } from '../../i18n/i18n';
import { SessionPending } from '../../layout/session-pending';
import { useSession } from '../../session/session-context';

/** A TOTP code as the API takes it: 6 digits (an app may show them as `123 456`: spaces are dropped). */
const CODE = /^[0-9]{6}$/;
const codeOf = (typed: string) => typed.replace(/\s/g, '');

/**
 * Username and password against `/oauth/token`; then back where the user was going, or their workspace.
 * A user with a second factor is asked for it (401 `totp_required`): a one-time code field appears,
 * takes the focus, and the password grant is sent again with the code as `totp`. Every other refusal
 * in its own words: a wrong password is said as such only when the server said so (`invalid_grant`),
 * never for a server in trouble or no answer at all.
 */
export function SignInPage() {
  const { t } = useI18n();
  const { me, meProblem, signIn } = useSession();
  const [params] = useSearchParams();
  const [failure, setFailure] = useState<Problem | null>(null);
  /** Whether the server asked for the second factor's code. */
  const [needsCode, setNeedsCode] = useState(false);
  const [code, setCode] = useState('');
  /** The code's rule said at the field once a submit found it wrong (or at once, for a character that is no digit). */
  const [codeChecked, setCodeChecked] = useState(false);
  const codeField = useRef<HTMLInputElement>(null);
  const sending = useOneAtATime();

  useEffect(() => {
    if (needsCode) codeField.current?.focus();
  }, [needsCode]);

  if (me) return <Navigate to={params.get('next') ?? '/'} replace />;

  const codeWrong = !CODE.test(codeOf(code));
  const codeError = needsCode && ((codeChecked && codeWrong) || /[^0-9\s]/.test(code));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (needsCode && codeWrong) {
      setCodeChecked(true);
      return codeField.current?.focus();
    }
    await sending.once(async () => {
      const answer = await signIn(String(form.get('username')), String(form.get('password')), needsCode ? codeOf(code) : undefined);
      if (answer.ok) return;
      const { problem } = answer;
      if (problem.rule === 'totp_required') {
        setFailure(null);
        setNeedsCode(true);
        return codeField.current?.focus();
      }
      if (problem.rule === 'invalid_grant') {
        // With a code, the password was right a moment ago: most likely the code (each works once) is not.
        if (needsCode) {
          setCode('');
          setCodeChecked(false);
          codeField.current?.focus();
        }
        return setFailure({ message: t(needsCode ? 'signIn.refusedWithCode' : 'signIn.refused') });
      }
      if (problem.status === 429) return setFailure({ message: t('signIn.tooManyAttempts') });
      setFailure(problem);
    });
  };

  return (
    <section className="narrow">
      <h1>{t('signIn.title')}</h1>
      {meProblem && <SessionPending />}
      <form onSubmit={submit} noValidate>
        <label htmlFor="username">{t('signIn.username')}</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          required
          onChange={() => {
            // Another user: their own password first, and a code only if they have a second factor.
            if (!needsCode) return;
            setNeedsCode(false);
            setCode('');
            setCodeChecked(false);
          }}
        />
        <label htmlFor="password">{t('signIn.password')}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        {needsCode && (
          <>
            <label htmlFor="totp">{t('signIn.totp')}</label>
            <input
              id="totp"
              name="totp"
              ref={codeField}
              value={code}
              onChange={(event) => setCode(event.target.value)}
              autoComplete="one-time-code"
              inputMode="numeric"
              maxLength={7}
              required
              aria-invalid={codeError ? true : undefined}
              aria-describedby={codeError ? 'totp-hint totp-error' : 'totp-hint'}
            />
            <p id="totp-hint" className="hint">
              {t('signIn.totpHint')}
            </p>
            {codeError && (
              <p id="totp-error" className="field-error">
                {t('signIn.totpDigits')}
              </p>
            )}
          </>
        )}
        <ProblemMessage problem={failure} />
        {/* aria-disabled, not disabled, while it is sent: a disabled button loses the keyboard's focus. */}
        <button type="submit" className="primary" aria-disabled={sending.busy}>
          {t('signIn.submit')}
        </button>
      </form>
      <p>
        <Link to="/verify">{t('signIn.verifyWithoutAccount')}</Link>
      </p>
    </section>
  );
}
