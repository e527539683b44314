import { useI18n } from '../../i18n/i18n';

/**
 * "The user must change it at first sign-in", checked by default: a password an administrator sets is one
 * they know, so by default the user chooses their own before anything else (temporaryPassword). Unchecked
 * only on purpose (a shared test account, say). Left uncontrolled, read from the form by `name`, unless
 * `onChange` is given.
 */
export function TemporaryPasswordBox({ id, name, checked, onChange }: { id: string; name?: string; checked?: boolean; onChange?(checked: boolean): void }) {
  const { t } = useI18n();
  const hintId = `${id}-hint`;
  const state = onChange ? { checked: checked ?? true, onChange: (event: { target: HTMLInputElement }) => onChange(event.target.checked) } : { defaultChecked: true };
  return (
    <>
      <label className="check" htmlFor={id}>
        <input id={id} name={name} type="checkbox" aria-describedby={hintId} {...state} /> {t('temporaryPasswords.mustChange')}
      </label>
      <p id={hintId} className="hint">
        {t('temporaryPasswords.mustChangeHint')}
      </p>
    </>
  );
}
