import { useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import { useIdempotencyKey } from '../../components/idempotency-key';
import { CheckedField } from '../../components/checked-field';
import { useOneAtATime } from '../../components/one-at-a-time';
import { refusalAtFields } from '../../components/field-refusals';
import { ProblemMessage } from '../../components/problem-message';
import { hasMessage, useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-CN';
import { useSession } from '../../session/session-context';
import { PASSWORD_MIN, USERNAME } from '../../components/account-rules';

type Field = 'code' | 'username' | 'password' | 'passwordAgain';
const FIELDS: Field[] = ['code', 'username', 'password', 'passwordAgain'];

/** 16 symbols, in groups of four or not: identity reads capitals or not, dashes and spaces alike (activation-codes.ts). */
const CODE = /^[0-9A-Za-z]{16}$/;

/** The refusals of POST /api/v1/users/activate that are about one field, said at that field (the rest above the button). */
const RULE_FIELD: Record<string, Field> = {
  activation_code_invalid: 'code',
  activation_code_expired: 'code',
  activation_code_used: 'code',
  activation_code_session_ended: 'code',
  username_taken: 'username',
};

/** The local rule a field breaks, or null. */
function localError(field: Field, values: Record<Field, string>): MessageKey | null {
  switch (field) {
    case 'code':
      return CODE.test(values.code.replace(/[\s-]/g, '')) ? null : 'activate.codeRule';
    case 'username':
      return USERNAME.test(values.username) ? null : 'activate.usernameRule';
    case 'password':
      return values.password.length >= PASSWORD_MIN ? null : 'activate.passwordShort';
    case 'passwordAgain':
      return values.passwordAgain === values.password ? null : 'activate.passwordsDiffer';
  }
}

/**
 * `/activate`, public: a worker opens their own account with the activation code staff handed them
 * (issued on the trainee's archive page), choosing a username and a password, typed twice. Each field's
 * rule is said at the field before sending; the server's refusals that belong to a field (a code expired
 * or used, a username taken, a field's rule) are said there too, everything else above the button. Once
 * the account is open the worker is signed in with it and taken to their own pages.
 */
export function ActivatePage() {
  const { t } = useI18n();
  const { me, signIn } = useSession();
  const navigate = useNavigate();
  const [values, setValues] = useState<Record<Field, string>>({ code: '', username: '', password: '', passwordAgain: '' });
  /** Fields whose rule is shown: once left, or once a submit found them wrong. */
  const [checked, setChecked] = useState<Set<Field>>(new Set());
  /** The server's words for one field, until that field is changed. */
  const [serverErrors, setServerErrors] = useState<Partial<Record<Field, string>>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const sending = useOneAtATime();
  // Pressed again after a lost answer, the API answers the account it opened, not activation_code_used.
  const idempotency = useIdempotencyKey();

  // Someone already signed in has an account: their own pages, not a second one.
  if (me && !sending.busy) return <Navigate to="/" replace />;

  const errorOf = (field: Field): string | null => {
    if (serverErrors[field]) return serverErrors[field] ?? null;
    const local = checked.has(field) ? localError(field, values) : null;
    return local ? t(local) : null;
  };

  const change = (field: Field, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    setServerErrors((current) => ({ ...current, [field]: undefined }));
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const wrong = FIELDS.filter((field) => localError(field, values));
    if (wrong.length) {
      setChecked(new Set(FIELDS));
      return inputs.current[wrong[0]]?.focus();
    }
    await sending.once(async () => {
      const { code, username, password } = values;
      const { data, error, response } = await api.POST('/api/v1/users/activate', { params: { header: { 'Idempotency-Key': idempotency.key } }, body: { code, username, password } });
      idempotency.settle(response, error);
      if (!data) {
        const refusal = problemOf(error);
        const ruleField = RULE_FIELD[refusal.rule ?? ''];
        const ruleKey = `rule.${refusal.rule ?? ''}`;
        const atFields = { ...(ruleField && hasMessage(ruleKey) ? { [ruleField]: t(ruleKey) } : {}), ...refusalAtFields(refusal, FIELDS, t) };
        setServerErrors(atFields);
        const first = FIELDS.find((field) => atFields[field]);
        // Said at its field, where the focus goes, the refusal is not said a second time above the button.
        setProblem(first ? null : refusal);
        if (first) inputs.current[first]?.focus();
        return;
      }
      setProblem(null);
      // The account is open: signed in with it at once, the worker goes to their own pages.
      const answer = await signIn(username, password);
      if (answer.ok) return navigate('/me', { replace: true });
      // Signing in failed for another reason (too many attempts, no answer): the sign-in page, with the username.
      return navigate('/sign-in', { replace: true, state: { activatedAs: username } });
    });
  };

  const field = (name: Field, label: MessageKey, props: { type?: 'text' | 'password'; autoComplete: string; hint?: MessageKey; inputMode?: 'text' }) => (
    <CheckedField
      id={`activate-${name}`}
      messagesId={name}
      name={name}
      label={t(label)}
      hint={props.hint && t(props.hint)}
      error={errorOf(name)}
      value={values[name]}
      onChange={(value) => change(name, value)}
      onLeave={() => values[name] && setChecked((current) => new Set(current).add(name))}
      inputRef={(element) => {
        inputs.current[name] = element;
      }}
      type={props.type}
      autoComplete={props.autoComplete}
      inputMode={props.inputMode}
    />
  );

  return (
    <section className="narrow">
      <h1>{t('activate.title')}</h1>
      <p>{t('activate.intro')}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        {field('code', 'activation.code', { autoComplete: 'off', hint: 'activate.codeHint', inputMode: 'text' })}
        {field('username', 'activate.username', { autoComplete: 'username', hint: 'activate.usernameHint' })}
        {field('password', 'activate.password', { type: 'password', autoComplete: 'new-password', hint: 'activate.passwordHint' })}
        {field('passwordAgain', 'activate.passwordAgain', { type: 'password', autoComplete: 'new-password' })}
        <ProblemMessage problem={problem} />
        {/* aria-disabled, not disabled, while it is sent: a disabled button loses the keyboard's focus. */}
        <button type="submit" className="primary" aria-disabled={sending.busy}>
          {t('activate.submit')}
        </button>
      </form>
      <p>
        <Link to="/sign-in">{t('activate.haveAccount')}</Link>
      </p>
    </section>
  );
}
