import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import { useIdempotencyKey } from '../../components/idempotency-key';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ProblemMessage } from '../../components/problem-message';
import { useFocusAfterSuccess } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';
import type { components } from '../../api/schema';
import { IdentityNumberFacts, identityNumberProblem } from './identity-number-check';

type Category = components['schemas']['RegisterTraineeDto']['categories'] extends (infer C)[] | undefined ? C : never;
const CATEGORIES: Category[] = ['poverty_registered', 'urban_unemployed', 'rural_migrant', 'veteran', 'disabled', 'graduate'];

/**
 * Registering a trainee. The identity number is checked as it is typed (check digit, a real birth date,
 * a known region) by the same rules the server applies, and its birth date and gender are shown.
 */
export function RegisterTraineePage() {
  const { t } = useI18n();
  const [idNumber, setIdNumber] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [existingId, setExistingId] = useState<string | null>(null);
  const [registered, setRegistered] = useState<{ id: string; name: string } | null>(null);
  const sending = useOneAtATime();
  // One registration however often it is sent: pressed again after a lost answer, the API answers the first
  // (not identity_number_registered by the registration just made).
  const idempotency = useIdempotencyKey();
  // The cleared identity number disables the focused submit: focus goes to the line saying who was registered.
  const afterRegistering = useFocusAfterSuccess<HTMLParagraphElement>();
  const idProblem = identityNumberProblem(idNumber);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (idProblem || idNumber.length !== 18) return;
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const name = String(form.get('name')).trim();
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/trainees', {
        params: { header: { 'Idempotency-Key': idempotency.key } },
        body: {
          name,
          idNumber,
          phone: String(form.get('phone')).trim(),
          regionCode: String(form.get('regionCode')).trim() || undefined,
          categories: form.getAll('categories').map(String) as Category[],
        },
      });
      idempotency.settle(response, error);
      if (!data) {
        setProblem(problemOf(error));
        setExistingId((error as { existingId?: string } | undefined)?.existingId ?? null);
        return;
      }
      setProblem(null);
      setExistingId(null);
      setRegistered({ id: data.id, name });
      formElement.reset();
      setIdNumber('');
      afterRegistering.focusTarget();
    });
  };

  return (
    <section className="narrow">
      <h1>{t('register.title')}</h1>
      {registered && (
        <p role="status" className="success" tabIndex={-1} ref={afterRegistering.target}>
          {t('register.done', { name: registered.name })} <Link to={`/trainees/${registered.id}/archive`}>{t('trainees.openArchive', { name: registered.name })}</Link>
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <label htmlFor="name">{t('trainee.name')}</label>
        <input id="name" name="name" required autoComplete="off" />
        <label htmlFor="idNumber">{t('trainee.idNumber')}</label>
        <input
          id="idNumber"
          name="idNumber"
          required
          maxLength={18}
          autoComplete="off"
          inputMode="text"
          value={idNumber}
          aria-invalid={idProblem ? true : undefined}
          aria-describedby="idNumber-facts"
          onChange={(event) => setIdNumber(event.target.value.toUpperCase().replace(/[^0-9X]/g, ''))}
        />
        <IdentityNumberFacts value={idNumber} id="idNumber-facts" />
        <label htmlFor="phone">{t('trainee.phone')}</label>
        <input id="phone" name="phone" required inputMode="tel" autoComplete="off" />
        <label htmlFor="regionCode">{t('trainee.regionCode')}</label>
        <input id="regionCode" name="regionCode" inputMode="numeric" maxLength={6} aria-describedby="regionCode-hint" />
        <p id="regionCode-hint" className="hint">
          {t('register.regionHint')}
        </p>
        <fieldset>
          <legend>{t('trainee.categories')}</legend>
          {CATEGORIES.map((category) => (
            <label key={category} className="check">
              <input type="checkbox" name="categories" value={category} /> {t(`category.${category}`)}
            </label>
          ))}
        </fieldset>
        <ProblemMessage problem={problem} />
        {existingId && <Link to={`/trainees/${existingId}/archive`}>{t('register.openExisting')}</Link>}
        {/* aria-disabled, not disabled, while it is sent: a disabled button loses the keyboard's focus. */}
        <button type="submit" className="primary" disabled={idProblem !== null || idNumber.length !== 18} aria-disabled={sending.busy}>
          {t('register.submit')}
        </button>
      </form>
    </section>
  );
}
