import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import { useIdempotencyKey } from '../../components/idempotency-key';
import { occupationWords } from '../../components/occupation-words';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ProblemMessage } from '../../components/problem-message';
import { fieldWordsOf, type FieldWords, useWordsAtFields } from '../../components/use-words-at-fields';
import { useI18n } from '../../i18n/i18n';
import { useSession, type Me } from '../../session/session-context';
import { BuildingUnitRows } from './brand-register-units';
import {
  brandFields,
  industryRule,
  NAME_MAX,
  occupationCodesTyped,
  policyOf,
  regionRule,
  tierRegisteredBy,
  unitField,
  unitRule,
  unreadOccupations,
  type BrandField,
  type BrandTier,
  type RegisterBrand,
} from './brand-register-rules';
import './brand-register.css';

/** Beside the brands list, not under it: the list's navigation link would read as this page's too. */
export const BRAND_REGISTER_PATH = '/bureau/register-brand';
const FORM_ID = 'register-brand';

/** The brand already registered under the name sent (409 brand_name_taken's existingId and name). */
interface NameHolder {
  id: string;
  name: string;
}

/**
 * The bureau a brand of `regionCode` belongs to (the API takes the bureau, whose region is the brand's): the
 * officer's own for its own region, else the one the register holds at exactly that code (null: none), or
 * why the register could not be read.
 */
async function bureauOf(regionCode: string, me: Me): Promise<{ bureauId: string | null } | { problem: Problem }> {
  if (regionCode === me.regionCode) return { bureauId: me.organisationId };
  // The register filters by the region and everything inside it: a city's code finds its counties' bureaus too.
  const { data, error } = await api.GET('/api/v1/organisations', { params: { query: { kind: 'bureau', regionCode, limit: 100 } } });
  if (!data) return { problem: problemOf(error) };
  return { bureauId: data.items.find((organisation) => organisation.regionCode === regionCode)?.id ?? null };
}

/**
 * Registering a labour brand (劳务品牌, domain.md section 5) for a bureau officer: of its bureau's region or a
 * city's or county's inside it, in the one tier its bureau registers (section 9). Each rule the console can
 * judge is said at its field before sending, the server's refusals at the fields they name (a building unit
 * unknown or outside the region at its row), a name already taken with a link to the brand that has it; once
 * registered, the brand's page.
 */
export function BrandRegisterPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const tier = tierRegisteredBy(me?.regionCode);
  return (
    <section className="narrow">
      <h1>{t('brandRegister.title')}</h1>
      {me && tier ? (
        <>
          <p>{t('brandRegister.intro')}</p>
          <BrandRegisterForm me={me} tier={tier} />
        </>
      ) : (
        <p>{t('brandRegister.countyNone')}</p>
      )}
    </section>
  );
}

function BrandRegisterForm({ me, tier }: { me: Me; tier: BrandTier }) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const bureauRegion = me.regionCode ?? '';
  const [regionCode, setRegionCode] = useState(bureauRegion);
  const [occupations, setOccupations] = useState('');
  const [units, setUnits] = useState(['']);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [nameHolder, setNameHolder] = useState<NameHolder | null>(null);
  const words = useWordsAtFields<BrandField>(FORM_ID, brandFields(units.length));
  const sending = useOneAtATime();
  // One brand however often it is sent: pressed again after a lost answer, the API answers the first (not brand_name_taken by it).
  const idempotency = useIdempotencyKey();

  const occupationCodes = occupationCodesTyped(occupations);
  const occupationsRead = occupationCodes.filter((code) => occupationWords(code, locale) !== code);
  // The picker searches the brand's region once it is one the brand may have; until then the officer's.
  const searchedRegion = regionRule(regionCode, bureauRegion) ? bureauRegion : regionCode;

  /** The rules the console judges, each at its field in the reader's words. */
  const ownCheck = (form: FormData): { wrong: Partial<Record<BrandField, FieldWords>>; body?: Omit<RegisterBrand, 'bureauId'> } => {
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const wrong: Partial<Record<BrandField, FieldWords>> = {};
    const name = text('name');
    if (!name) wrong.name = fieldWordsOf('brandRegister.nameRequired');
    const region = regionRule(regionCode, bureauRegion);
    if (region) wrong.regionCode = fieldWordsOf(region.key, region.values);
    const industryCode = text('industryCode').toUpperCase();
    const industry = industryRule(industryCode);
    if (industry) wrong.industryCode = fieldWordsOf(industry);
    const unread = unreadOccupations(occupationCodes);
    if (!occupationCodes.length) wrong.occupationCodes = fieldWordsOf('brandRegister.occupationsRequired');
    else if (unread.length) wrong.occupationCodes = fieldWordsOf('brandRegister.occupationsRule', { codes: unread.join(', ') });
    units.forEach((unit, index) => {
      const rule = unitRule(unit);
      if (rule) wrong[unitField(index)] = fieldWordsOf(rule);
    });
    const policy = policyOf({
      windowStart: text('windowStart'),
      windowEnd: text('windowEnd'),
      minTrained: text('minTrained'),
      minPassRate: text('minPassRate'),
      minEmploymentRate: text('minEmploymentRate'),
      minEmployed: text('minEmployed'),
      requiresEthicsTraining: form.get('requiresEthicsTraining') === 'on',
    });
    if ('wrong' in policy) for (const [field, key] of Object.entries(policy.wrong)) wrong[field as BrandField] = fieldWordsOf(key);
    if (Object.keys(wrong).length || 'wrong' in policy) return { wrong };
    return { wrong, body: { name, tier, industryCode, occupationCodes, buildingUnits: units, policy: policy.policy } };
  };

  /** Sends the brand for the bureau of its region; a refusal is said at its field, a name taken with the brand that has it. */
  const send = async (bureauId: string, brand: Omit<RegisterBrand, 'bureauId'>) => {
    const { data, error, response } = await api.POST('/api/v1/brands', { params: { header: { 'Idempotency-Key': idempotency.key } }, body: { bureauId, ...brand } });
    idempotency.settle(response, error);
    if (data) return navigate(`/bureau/brands/${data.id}`);
    setProblem(refusalShown(problemOf(error)));
  };

  /** Where a refusal is said: the field its rule is about, else the fields its errors name, the rest above the button. */
  const refusalShown = (refusal: Problem): Problem | null => {
    if (refusal.rule === 'brand_name_taken') {
      const holder = refusal as Problem & { existingId?: string; name?: string };
      setNameHolder(holder.existingId ? { id: holder.existingId, name: holder.name ?? '' } : null);
      return words.sayAt('name', refusal);
    }
    if (refusal.rule === 'brand_region_above_city') return words.sayAt('regionCode', refusal);
    return words.sayRefusal(refusal);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { wrong, body } = ownCheck(new FormData(event.currentTarget));
    if (words.sayAtFields(wrong) || !body) return setProblem(null);
    await sending.once(async () => {
      const bureau = await bureauOf(regionCode, me);
      if ('problem' in bureau) return setProblem(bureau.problem);
      if (!bureau.bureauId) {
        words.sayAtFields({ regionCode: fieldWordsOf('brandRegister.noBureau') });
        return setProblem(null);
      }
      await send(bureau.bureauId, body);
    });
  };

  const nameProps = words.inputProps('name', nameHolder ? 'brand-name-hint brand-name-holder' : 'brand-name-hint');
  const regionProps = words.inputProps('regionCode', 'brand-region-hint');
  const occupationProps = words.inputProps('occupationCodes', occupationsRead.length ? 'brand-occupations-hint brand-occupations-read' : 'brand-occupations-hint');
  return (
    <>
      <form id={FORM_ID} onSubmit={(event) => void submit(event)} noValidate>
        <label htmlFor="brand-name">{t('brand.name')}</label>
        <input
          id="brand-name"
          name="name"
          required
          maxLength={NAME_MAX}
          autoComplete="off"
          {...nameProps}
          onChange={() => {
            nameProps.onChange();
            setNameHolder(null);
          }}
        />
        <p id="brand-name-hint" className="hint">
          {t('brandRegister.nameHint')}
        </p>
        {words.wordsAt('name')}
        {nameHolder && (
          <p id="brand-name-holder">
            {t('brandRegister.taken')} <Link to={`/bureau/brands/${nameHolder.id}`}>{nameHolder.name}</Link>
          </p>
        )}

        <label htmlFor="brand-region">{t('brand.region')}</label>
        <input
          id="brand-region"
          name="regionCode"
          required
          inputMode="numeric"
          maxLength={6}
          value={regionCode}
          {...regionProps}
          onChange={(event) => {
            regionProps.onChange();
            setRegionCode(event.target.value.trim());
          }}
        />
        <p id="brand-region-hint" className="hint">
          {t('brandRegister.regionHint', { region: bureauRegion })}
        </p>
        {words.wordsAt('regionCode')}

        {/* The one tier the officer's bureau registers (domain.md section 9), chosen already and said why. */}
        <fieldset aria-describedby="brand-tier-hint">
          <legend>{t('brandRegister.tier')}</legend>
          <label className="check" htmlFor="brand-tier">
            <input id="brand-tier" type="radio" name="tier" value={tier} checked readOnly /> {t(`tier.${tier}`)}
          </label>
          <p id="brand-tier-hint" className="hint">
            {t(`brandRegister.tierHint.${tier}`)}
          </p>
        </fieldset>

        <label htmlFor="brand-industry">{t('brandRegister.industry')}</label>
        <input id="brand-industry" name="industryCode" required maxLength={3} autoComplete="off" {...words.inputProps('industryCode', 'brand-industry-hint')} />
        <p id="brand-industry-hint" className="hint">
          {t('brandRegister.industryHint')}
        </p>
        {words.wordsAt('industryCode')}

        <label htmlFor="brand-occupations">{t('brandRegister.occupations')}</label>
        <input
          id="brand-occupations"
          name="occupationCodes"
          required
          autoComplete="off"
          value={occupations}
          {...occupationProps}
          onChange={(event) => {
            occupationProps.onChange();
            setOccupations(event.target.value);
          }}
        />
        <p id="brand-occupations-hint" className="hint">
          {t('brandRegister.occupationsHint')}
        </p>
        {occupationsRead.length > 0 && (
          <p id="brand-occupations-read" className="hint">
            {t('brandRegister.occupationsRead', { names: occupationsRead.map((code) => occupationWords(code, locale)).join(locale === 'en' ? ', ' : '、') })}
          </p>
        )}
        {words.wordsAt('occupationCodes')}

        <PolicyFields words={words} />
      </form>
      <BuildingUnitRows formId={FORM_ID} units={units} onUnits={setUnits} regionCode={searchedRegion} words={words} />
      <div className="brand-register-send">
        <ProblemMessage problem={problem} />
        {/* aria-disabled, not disabled, while it is sent: a disabled button loses the keyboard's focus. */}
        <button type="submit" form={FORM_ID} className="primary" aria-disabled={sending.busy}>
          {t('brandRegister.submit')}
        </button>
      </div>
    </>
  );
}

/** The qualification policy (认定条件): its window, thresholds, rates as percentages as the brand's page says them. */
function PolicyFields({ words }: { words: ReturnType<typeof useWordsAtFields<BrandField>> }) {
  const { t } = useI18n();
  const number = (field: 'minTrained' | 'minPassRate' | 'minEmploymentRate' | 'minEmployed', decimals: boolean, hintId?: string) => (
    <>
      <label htmlFor={`brand-${field}`}>{t(`brandRegister.${field}`)}</label>
      <input id={`brand-${field}`} name={field} inputMode={decimals ? 'decimal' : 'numeric'} autoComplete="off" required={field !== 'minEmployed'} {...words.inputProps(`policy.${field}`, hintId)} />
      {hintId && (
        <p id={hintId} className="hint">
          {t('brandRegister.minEmployedHint')}
        </p>
      )}
      {words.wordsAt(`policy.${field}`)}
    </>
  );
  return (
    <fieldset aria-describedby="brand-policy-hint">
      <legend>{t('brandRegister.policy')}</legend>
      <p id="brand-policy-hint" className="hint">
        {t('brandRegister.policyHint')}
      </p>
      {(['windowStart', 'windowEnd'] as const).map((field) => (
        <div key={field}>
          <label htmlFor={`brand-${field}`}>{t(`brandRegister.${field}`)}</label>
          <input id={`brand-${field}`} name={field} type="date" required {...words.inputProps(`policy.${field}`)} />
          {words.wordsAt(`policy.${field}`)}
        </div>
      ))}
      {number('minTrained', false)}
      {number('minPassRate', true)}
      {number('minEmploymentRate', true)}
      {number('minEmployed', false, 'brand-min-employed-hint')}
      <label className="check" htmlFor="brand-ethics">
        <input id="brand-ethics" type="checkbox" name="requiresEthicsTraining" /> {t('brandRegister.requiresEthicsTraining')}
      </label>
    </fieldset>
  );
}
