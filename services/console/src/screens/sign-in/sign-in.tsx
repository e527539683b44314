
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { useOneAtATime } from '../../components/one-at-a-time';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';

/** Username and password against `/oauth/token`; then back where the user was going, or their workspace. */
export function SignInPage() {
  const { t } = useI18n();
  const { me, signIn } = useSession();
  const [params] = useSearchParams();
  const [failure, setFailure] = useState<string | null>(null);
  const sending = useOneAtATime();
  if (me) return <Navigate to={params.get('next') ?? '/'} replace />;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await sending.once(async () => {
      const answer = await signIn(String(form.get('username')), String(form.get('password')));
      if (!answer.ok) setFailure(answer.status === 429 ? t('signIn.tooManyAttempts') : t('signIn.refused'));
    });
  };

  return (
    <section className="narrow">
      <h1>{t('signIn.title')}</h1>
      <form onSubmit={submit} noValidate>
        <label htmlFor="username">{t('signIn.username')}</label>
        <input id="username" name="username" autoComplete="username" required />
        <label htmlFor="password">{t('signIn.password')}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        {failure && (
          <p role="alert" className="problem">
            {failure}
          </p>
        )}
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
