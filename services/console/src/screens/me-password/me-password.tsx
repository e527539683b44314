import { useRef, useState, type FormEvent } from 'react';
import { Link, Navigate } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import { useIdempotencyKey } from '../../components/idempotency-key';
import { CheckedField } from '../../components/checked-field';
import { useOneAtATime } from '../../components/one-at-a-time';
import { refusalAtFields } from '../../components/field-refusals';
import { ProblemMessage } from '../../components/problem-message';
import { useFocusAfterSuccess } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-CN';
import { SessionPending } from '../../layout/session-pending';
import { useSession } from '../../session/session-context';
import { PASSWORD_MIN } from '../../components/account-rules';

/** The form's fields, named as the API names them (currentPassword, password) so its field refusals find theirs. */
type Field = 'currentPassword' | 'password' | 'passwordAgain';
const FIELDS: Field[] = ['currentPassword', 'password', 'passwordAgain'];

/** The local rule a field breaks, or null. */
function localError(field: Field, values: Record<Field, string>): MessageKey | null {
  switch (field) {
    case 'currentPassword':
      return values.currentPassword ? null : 'myPassword.currentRequired';
    case 'password':
      return values.password.length >= PASSWORD_MIN ? null : 'myPassword.passwordShort';
    case 'passwordAgain':
      return values.passwordAgain === values.password ? null : 'myPassword.passwordsDiffer';
  }
}

/** How a change ended: still signed in (with the new password), or signed out to sign in again. */
type Done = 'changed' | 'signInAgain';

/**
 * `/me/password`, for every signed-in user: their own password changed with the one they have now
 * (POST /api/v1/users/{id}/password with currentPassword), the new one typed twice. Each field's rule is
 * said at the field before sending; the server's refusals about a field (the current password wrong, a
 * field's rule) at that field, the rest (too many failed sign-ins) above the button. The change ends every
 * session signed in with the old password, this one included (its renewal would be refused a moment
 * later): the user is signed in again at once with the new one; when that is not enough (a second factor
 * is asked, no answer) they are signed out and the page says to sign in again, with the link.
 */
export function MyPasswordPage() {
  const { t } = useI18n();
  const { me, signIn, signOut, reloadMe } = useSession();
  const [values, setValues] = useState<Record<Field, string>>({ currentPassword: '', password: '', passwordAgain: '' });
  /** Fields whose rule is shown: once left, or once a submit found them wrong. */
  const [checked, setChecked] = useState<Set<Field>>(new Set());
  /** The server's words for one field, until that field is changed. */
  const [serverErrors, setServerErrors] = useState<Partial<Record<Field, string>>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const afterChange = useFocusAfterSuccess<HTMLParagraphElement>();
  const sending = useOneAtATime();
  // One change however often it is sent: pressed again after a lost answer, the API answers the first.
  const idempotency = useIdempotencyKey();

  // Signed out by the change itself: the line saying so stays, with the way to sign in again.
  if (done === 'signInAgain') {
    return (
      <section className="narrow">
        <h1>{t('myPassword.title')}</h1>
        <p role="status" className="success" tabIndex={-1} ref={afterChange.target}>
          {t('myPassword.signInAgain')}
        </p>
        <p>
          <Link className="button-link primary" to="/sign-in">
            {t('layout.signIn')}
          </Link>
        </p>
      </section>
    );
  }
  if (me === undefined) return <SessionPending />;
  if (me === null) return <Navigate to={`/sign-in?next=${encodeURIComponent('/me/password')}`} replace />;

  const errorOf = (field: Field): string | null => {
    if (serverErrors[field]) return serverErrors[field] ?? null;
    const local = checked.has(field) ? localError(field, values) : null;
    return local ? t(local) : null;
  };

  const change = (field: Field, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    setServerErrors((current) => ({ ...current, [field]: undefined }));
    setDone(null);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const wrong = FIELDS.filter((field) => localError(field, values));
    if (wrong.length) {
      setChecked(new Set(FIELDS));
      return inputs.current[wrong[0]]?.focus();
    }
    await sending.once(async () => {
      const { currentPassword, password } = values;
      const { data, error, response } = await api.POST('/api/v1/users/{id}/password', {
        params: { path: { id: me.userId }, header: { 'Idempotency-Key': idempotency.key } },
        body: { password, currentPassword },
      });
      idempotency.settle(response, error);
      if (!data) {
        const refusal = problemOf(error);
        const atFields = refusalAtFields(refusal, FIELDS, t);
        setServerErrors(atFields);
        const first = FIELDS.find((field) => atFields[field]);
        // Said at its field, where the focus goes, the refusal is not said a second time above the button.
        setProblem(first ? null : refusal);
        if (first) inputs.current[first]?.focus();
        return;
      }
      setProblem(null);
      setValues({ currentPassword: '', password: '', passwordAgain: '' });
      setChecked(new Set());
      // This session was signed in with the old password and has ended with it: a new one, with the new password.
      const again = await signIn(me.username, password);
      // Signed in again while signed in, the session says no change: who they are is read again, the
      // new token's (a password someone else set is one no more: PasswordChangeFirst lets them go on).
      if (again.ok) reloadMe();
      else signOut();
      setDone(again.ok ? 'changed' : 'signInAgain');
      afterChange.focusTarget();
    });
  };

  const field = (name: Field, label: MessageKey, autoComplete: string, hint?: MessageKey) => (
    <CheckedField
      id={`my-password-${name}`}
      messagesId={`my-password-${name}`}
      name={name}
      label={t(label)}
      hint={hint && t(hint)}
      error={errorOf(name)}
      value={values[name]}
      onChange={(value) => change(name, value)}
      onLeave={() => values[name] && setChecked((current) => new Set(current).add(name))}
      inputRef={(element) => {
        inputs.current[name] = element;
      }}
      type="password"
      autoComplete={autoComplete}
    />
  );

  return (
    <section className="narrow">
      <h1>{t('myPassword.title')}</h1>
      {/* Sent here from every page (PasswordChangeFirst): why, before what to do. */}
      {me.passwordChangeRequired && (
        <p id="password-change-required" className="panel">
          {t('temporaryPasswords.why')}
        </p>
      )}
      <p>{t('myPassword.intro')}</p>
      {done === 'changed' && (
        <p role="status" className="success" tabIndex={-1} ref={afterChange.target}>
          {t('myPassword.changed')}
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate>
        {/* The username, unseen, tells a password manager whose password this is. */}
        <input type="text" name="username" autoComplete="username" value={me.username} readOnly hidden />
        {field('currentPassword', 'myPassword.current', 'current-password')}
        {field('password', 'myPassword.new', 'new-password', 'myPassword.newHint')}
        {field('passwordAgain', 'myPassword.newAgain', 'new-password')}
        <ProblemMessage problem={problem} />
        {/* aria-disabled, not disabled, while it is sent: a disabled button loses the keyboard's focus. */}
        <button type="submit" className="primary" aria-disabled={sending.busy}>
          {t('myPassword.submit')}
        </button>
      </form>
    </section>
  );
}
