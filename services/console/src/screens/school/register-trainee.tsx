import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { MOBILE_NUMBER } from '@skills/domain-kernel';
import { api, problemOf, type Problem } from '../../api/client';
import { useIdempotencyKey } from '../../components/idempotency-key';
import { useOneAtATime } from '../../components/one-at-a-time';
import { fieldWordsOf, type FieldWords, useWordsAtFields } from '../../components/use-words-at-fields';
import { ProblemMessage } from '../../components/problem-message';
import { useFocusAfterSuccess } from '../../components/use-step-focus';
import { IDENTITY_NUMBER_LENGTH, identityNumberTyped } from '../../components/identity-number';
import { mobileNumberTyped } from '../../components/mobile-number';
import { useI18n } from '../../i18n/i18n';
import type { components } from '../../api/schema';
import { useSession } from '../../session/session-context';
import { IdentityNumberFacts, identityNumberProblem } from './identity-number-check';

type Category = components['schemas']['RegisterTraineeDto']['categories'] extends (infer C)[] | undefined ? C : never;
const CATEGORIES: Category[] = ['poverty_registered', 'urban_unemployed', 'rural_migrant', 'veteran', 'disabled', 'graduate'];

/** The fields whose refusal is said at the field (the identity number's own rules are said as it is typed, by IdentityNumberFacts). */
const FIELDS = ['name', 'idNumber', 'phone', 'regionCode'] as const;
type Field = (typeof FIELDS)[number];

/** The name's limit as the server checks it (trainee-service register-trainee.dto.ts). */
const NAME_MAX = 50;

/** The trainee who already holds the number typed (the 409's existingId), and whether the caller may read them. */
interface Holder {
  id: string;
  readable: boolean;
}

/**
 * Whether the caller may open the holder's archive: only an organisation related to the trainee (or the
 * platform) may read them (domain.md section 9); anyone else is answered 404, so the link is offered only
 * after GET /api/v1/trainees/{id} answered 200 (audited as a read, as the archive it links to would be).
 */
async function holderOf(existingId: string): Promise<Holder> {
  const { response } = await api.GET('/api/v1/trainees/{id}', { params: { path: { id: existingId } } }).catch(() => ({ response: undefined }));
  return { id: existingId, readable: response?.status === 200 };
}

/**
 * How to go on with a person already on the platform: their archive where the caller may read it, else
 * where the caller's workspace takes them on without registering them again (a school enrols them from a
 * course's roster, an employer hires them from a placement, each finding them by identity number and name).
 */
function HolderWayOn({ holder }: { holder: Holder }) {
  const { t } = useI18n();
  const { me } = useSession();
  if (holder.readable)
    return (
      <p>
        <Link to={`/trainees/${holder.id}/archive`}>{t('register.openExisting')}</Link>
      </p>
    );
  if (me?.role === 'school_staff')
    return (
      <p>
        {t('register.elsewhere.school')} <Link to="/school/courses">{t('register.elsewhere.toCourses')}</Link>
      </p>
    );
  if (me?.role === 'employer_staff')
    return (
      <p>
        {t('register.elsewhere.employer')} <Link to="/employer/placements">{t('register.elsewhere.toPlacements')}</Link>
      </p>
    );
  return <p>{t('register.elsewhere.other')}</p>;
}

/**
 * Registering a trainee. The identity number is checked as it is typed (check digit, a real birth date,
 * a known region) by the same rules the server applies, and its birth date and gender are shown.
 */
export function RegisterTraineePage() {
  const { t } = useI18n();
  const [idNumber, setIdNumber] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [holder, setHolder] = useState<Holder | null>(null);
  // The number is registered, but the API names its holder only to whoever sent their name or is related to them.
  const [underOtherName, setUnderOtherName] = useState(false);
  const [registered, setRegistered] = useState<{ id: string; name: string } | null>(null);
  // A field said wrong, by the console's own check on sending or by the server's 400; until that field is edited.
  const words = useWordsAtFields('register', FIELDS);
  const sending = useOneAtATime();
  // One registration however often it is sent: pressed again after a lost answer, the API answers the first
  // (not identity_number_registered by the registration just made).
  const idempotency = useIdempotencyKey();
  // The cleared identity number disables the focused submit: focus goes to the line saying who was registered.
  const afterRegistering = useFocusAfterSuccess<HTMLParagraphElement>();
  const idProblem = identityNumberProblem(idNumber);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (idProblem || idNumber.length !== IDENTITY_NUMBER_LENGTH) return;
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const name = String(form.get('name')).trim();
    const phone = mobileNumberTyped(String(form.get('phone')));
    // The rules the console can judge, said at their fields before anything is sent; the focus goes to the first.
    const ownCheck: Partial<Record<Field, FieldWords>> = {
      ...(name ? {} : { name: fieldWordsOf('register.nameRequired') }),
      ...(MOBILE_NUMBER.test(phone) ? {} : { phone: fieldWordsOf('register.phoneRule') }),
    };
    if (words.sayAtFields(ownCheck)) return setProblem(null);
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/trainees', {
        params: { header: { 'Idempotency-Key': idempotency.key } },
        body: {
          name,
          idNumber,
          phone,
          regionCode: String(form.get('regionCode')).trim() || undefined,
          categories: form.getAll('categories').map(String) as Category[],
        },
      });
      idempotency.settle(response, error);
      if (!data) {
        const refusal = error as { rule?: string; existingId?: string } | undefined;
        // Asked before the refusal is shown, so the alert is read out once, with its way on in it.
        const found = refusal?.existingId ? await holderOf(refusal.existingId) : null;
        // The server's words about a field at that field; a refusal about anything else above the button.
        setProblem(words.sayRefusal(problemOf(error)));
        setHolder(found);
        setUnderOtherName(refusal?.rule === 'identity_number_registered' && !refusal.existingId);
        return;
      }
      setProblem(null);
      setHolder(null);
      setUnderOtherName(false);
      words.sayAtFields({});
      setRegistered({ id: data.id, name });
      formElement.reset();
      setIdNumber('');
      afterRegistering.focusTarget();
    });
  };

  const idNumberProps = words.inputProps('idNumber', 'idNumber-facts');
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
        <input id="name" name="name" required maxLength={NAME_MAX} autoComplete="off" {...words.inputProps('name')} />
        {words.wordsAt('name')}
        <label htmlFor="idNumber">{t('trainee.idNumber')}</label>
        <input
          id="idNumber"
          name="idNumber"
          required
          autoComplete="off"
          inputMode="text"
          value={idNumber}
          {...idNumberProps}
          aria-invalid={idProblem ? true : idNumberProps['aria-invalid']}
          onChange={(event) => {
            setIdNumber(identityNumberTyped(event.target.value));
            idNumberProps.onChange();
          }}
        />
        <IdentityNumberFacts value={idNumber} id="idNumber-facts" />
        {words.wordsAt('idNumber')}
        <label htmlFor="phone">{t('trainee.phone')}</label>
        <input id="phone" name="phone" required type="tel" inputMode="tel" autoComplete="off" {...words.inputProps('phone', 'phone-hint')} />
        <p id="phone-hint" className="hint">
          {t('register.phoneHint')}
        </p>
        {words.wordsAt('phone')}
        {/* The one field a clerk may leave empty says so in its label; the others are required (and `required` for a screen reader). */}
        <label htmlFor="regionCode">
          {t('trainee.regionCode')}
          {t('register.optional')}
        </label>
        <input id="regionCode" name="regionCode" inputMode="numeric" maxLength={6} {...words.inputProps('regionCode', 'regionCode-hint')} />
        <p id="regionCode-hint" className="hint">
          {t('register.regionHint')}
        </p>
        {words.wordsAt('regionCode')}
        <fieldset>
          <legend>{t('trainee.categories')}</legend>
          {CATEGORIES.map((category) => (
            <label key={category} className="check">
              <input type="checkbox" name="categories" value={category} /> {t(`category.${category}`)}
            </label>
          ))}
        </fieldset>
        <ProblemMessage problem={problem}>
          {holder && <HolderWayOn holder={holder} />}
          {underOtherName && <p>{t('register.elsewhere.otherName')}</p>}
        </ProblemMessage>
        {/* aria-disabled, not disabled, while it is sent: a disabled button loses the keyboard's focus. */}
        <button type="submit" className="primary" disabled={idProblem !== null || idNumber.length !== IDENTITY_NUMBER_LENGTH} aria-disabled={sending.busy}>
          {t('register.submit')}
        </button>
      </form>
    </section>
  );
}
