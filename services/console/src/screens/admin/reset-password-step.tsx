import { useRef, useState } from 'react';
import { api, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { CheckedField } from '../../components/checked-field';
import { showRefusal, useIdempotencyKey } from '../../components/idempotency-key';
import { ConfirmStep } from '../../components/confirm-step';
import { useOneAtATime } from '../../components/one-at-a-time';
import { useFocusAfterSuccess, useStepFocus } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-CN';
import { PASSWORD_MIN } from '../../components/account-rules';
import { TemporaryPasswordBox } from './temporary-password-box';

type User = components['schemas']['UserListItem'];
type Field = 'password' | 'passwordAgain';
const FIELDS: Field[] = ['password', 'passwordAgain'];

/** The local rule a field breaks, or null. */
function localError(field: Field, values: Record<Field, string>): MessageKey | null {
  switch (field) {
    case 'password':
      return values.password.length >= PASSWORD_MIN ? null : 'admin.users.passwordShort';
    case 'passwordAgain':
      return values.passwordAgain === values.password ? null : 'admin.users.passwordsDiffer';
  }
}

/**
 * Setting a new password for another user who forgot theirs (POST /api/v1/users/{id}/password, no current
 * password: that is asked only of one's own), rather than disabling them and creating another user, which
 * would split their audit trail. A first press opens the step on the page: the new password typed twice,
 * each field's rule said at the field before sending, and what will change (sessions signed in with the
 * old password end). Done, the step closes and the line saying so, with the reminder to hand the password
 * over in person, takes the focus. `who`: the user as the row's steps name them; `onReset`: the list reads
 * the user again (whether they must change the new password).
 */
export function ResetPasswordStep({ user, who, onReset }: { user: User; who: string; onReset?(): void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [values, setValues] = useState<Record<Field, string>>({ password: '', passwordAgain: '' });
  /** Whether the user must choose their own at the next sign-in: yes unless the administrator unchecks it. */
  const [temporary, setTemporary] = useState(true);
  /** Fields whose rule is shown: once left, or once a confirm found them wrong. */
  const [checked, setChecked] = useState<Set<Field>>(new Set());
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);
  const focus = useStepFocus<HTMLInputElement>(confirming);
  const againInput = useRef<HTMLInputElement>(null);
  const afterReset = useFocusAfterSuccess<HTMLParagraphElement>();
  const sending = useOneAtATime();
  // One change however often it is sent: pressed again after a lost answer, the API answers the first.
  const idempotency = useIdempotencyKey();
  const id = `reset-password-${user.id}`;

  // The typed password is not kept once the step closes, done or cancelled.
  const close = () => {
    setValues({ password: '', passwordAgain: '' });
    setConfirming(false);
  };

  const open = () => {
    setValues({ password: '', passwordAgain: '' });
    setChecked(new Set());
    setTemporary(true);
    setProblem(null);
    setDone(false);
    setConfirming(true);
  };

  const errorOf = (field: Field): string | null => {
    const local = checked.has(field) ? localError(field, values) : null;
    return local ? t(local) : null;
  };

  const reset = async () => {
    const wrong = FIELDS.filter((field) => localError(field, values));
    if (wrong.length) {
      setChecked(new Set(FIELDS));
      // The first wrong field takes the focus: the new password's is the step's first field.
      return wrong[0] === 'password' ? focus.into.current?.focus() : againInput.current?.focus();
    }
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/users/{id}/password', {
        params: { path: { id: user.id }, header: { 'Idempotency-Key': idempotency.key } },
        body: { password: values.password, temporaryPassword: temporary },
      });
      idempotency.settle(response, error);
      // An earlier sending that did arrive set the password typed then: its words say so, and the list is read again.
      if (!data) return showRefusal(error, setProblem, () => onReset?.());
      setProblem(null);
      close();
      setDone(true);
      afterReset.focusTarget();
      onReset?.();
    });
  };

  const field = (name: Field, label: MessageKey, hint?: MessageKey) => (
    <CheckedField
      id={`${id}-${name}`}
      messagesId={`${id}-${name}`}
      label={t(label)}
      hint={hint && t(hint)}
      error={errorOf(name)}
      value={values[name]}
      onChange={(value) => setValues((current) => ({ ...current, [name]: value }))}
      onLeave={() => values[name] && setChecked((current) => new Set(current).add(name))}
      inputRef={name === 'password' ? focus.into : againInput}
      type="password"
      autoComplete="new-password"
    />
  );

  return (
    <>
      {done && (
        <p role="status" className="success" tabIndex={-1} ref={afterReset.target}>
          {t('admin.users.passwordReset', { username: who })}
        </p>
      )}
      {confirming ? (
        <ConfirmStep
          title={t('admin.users.confirmResetPassword', { username: who })}
          label={t('admin.users.resetPassword', { username: who })}
          problem={problem}
          confirmText={t('admin.users.resetPasswordConfirm', { username: who })}
          busy={sending.busy}
          onConfirm={() => void reset()}
          onCancel={close}
        >
          {field('password', 'admin.users.newPassword', 'admin.users.newPasswordHint')}
          {field('passwordAgain', 'admin.users.newPasswordAgain')}
          <TemporaryPasswordBox id={`${id}-temporary`} checked={temporary} onChange={setTemporary} />
        </ConfirmStep>
      ) : (
        <button type="button" ref={focus.back} onClick={open}>
          {t('admin.users.resetPassword', { username: who })}
        </button>
      )}
    </>
  );
}
