import { isValidCreditCode } from '@skills/domain-kernel';
import { api, problemOf } from '../../api/client';
import type { components } from '../../api/schema';
import { ConfirmStep } from '../../components/confirm-step';
import { StepField } from '../../components/step-field';
import { showRefusal } from '../../components/idempotency-key';
import { KeptReasonField } from '../../components/kept-reason-field';
import { useCorrectionStep } from '../../components/correction-step';
import { fieldRuleWords } from '../../components/rule-words';
import { fieldWordsOf, type FieldWords } from '../../components/use-words-at-fields';
import { useI18n } from '../../i18n/i18n';
import { industryRule, NAME_MAX, occupationCodesTyped, unreadOccupations } from './brand-register-rules';

type Brand = components['schemas']['BrandAnswer'];

const FIELDS = ['name', 'industryCode', 'occupationCodes', 'buildingUnits'] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;

const sameCodes = (a: string[], b: string[]) => a.length === b.length && a.every((code) => b.includes(code));
const valuesOf = (brand: Brand): Values => ({ name: brand.name, industryCode: brand.industryCode, occupationCodes: brand.occupationCodes.join(', '), buildingUnits: brand.buildingUnits.join(', ') });

/**
 * Correcting a labour brand registered with a mistake (`PATCH /api/v1/brands/{id}`): the button opens, in place,
 * what may be corrected (name, industry, occupations, building units) and what not (the bureau, region and tier: a
 * brand of another tier is another brand), the brand's details to change, the reason (kept for good) and the
 * confirmation. Only what changed is sent. A wrong field is said at the field as in the console's forms
 * (useWordsAtFields), the console's own check first and the server's refusal the same way (a 400's `errors[]`, a
 * building unit's `buildingUnits.<index>` at the units' field naming its code; a name another brand holds at the
 * name), the focus on the first wrong field; any other refusal inside the step.
 */
export function BrandCorrectionStep({ brand, onCorrected, onRefused }: { brand: Brand; onCorrected(): Promise<void>; onRefused(): Promise<void> }) {
  const { t } = useI18n();
  const { confirming, setConfirming, reason, problem, setProblem, focus, idempotency, sending, values, setValues, words, reasonInput, start } = useCorrectionStep(`brand-correct-${brand.id}`, FIELDS, () => valuesOf(brand));

  if (!confirming)
    return (
      <button
        type="button"
        ref={focus.back}
        onClick={start}
      >
        {t('brand.correct.start')}
      </button>
    );

  const occupationCodes = occupationCodesTyped(values.occupationCodes);
  const buildingUnits = occupationCodesTyped(values.buildingUnits.toUpperCase());

  const correct = async () => {
    // The rules the console can judge, said at their fields before anything is sent; the focus goes to the first.
    const unreadOccupationCodes = unreadOccupations(occupationCodes);
    const unreadUnits = buildingUnits.filter((code) => !isValidCreditCode(code));
    const industry = industryRule(values.industryCode.trim());
    const ownCheck: Partial<Record<Field, FieldWords>> = {
      name: !values.name.trim() ? fieldWordsOf('brandRegister.nameRequired') : values.name.trim().length > NAME_MAX ? fieldWordsOf('brand.correct.nameTooLong', { max: NAME_MAX }) : undefined,
      industryCode: industry ? fieldWordsOf(industry) : undefined,
      occupationCodes:
        occupationCodes.length === 0 ? fieldWordsOf('brand.correct.codesRequired') : unreadOccupationCodes.length > 0 ? fieldWordsOf('brandRegister.occupationsRule', { codes: unreadOccupationCodes.join(', ') }) : undefined,
      buildingUnits: buildingUnits.length === 0 ? fieldWordsOf('brand.correct.codesRequired') : unreadUnits.length > 0 ? fieldWordsOf('brand.correct.unitsRule', { codes: unreadUnits.join(', ') }) : undefined,
    };
    if (words.sayAtFields(ownCheck)) return setProblem(null);
    const changed = {
      ...(values.name.trim() !== brand.name ? { name: values.name.trim() } : {}),
      ...(values.industryCode.trim() !== brand.industryCode ? { industryCode: values.industryCode.trim() } : {}),
      ...(!sameCodes(occupationCodes, brand.occupationCodes) ? { occupationCodes } : {}),
      ...(!sameCodes(buildingUnits, brand.buildingUnits) ? { buildingUnits } : {}),
    };
    if (Object.keys(changed).length === 0) {
      setProblem({ message: t('brand.correct.unchanged') });
      return focus.into.current?.focus();
    }
    if (reason.refuseIfEmpty()) {
      setProblem(null);
      return reasonInput.current?.focus();
    }
    await sending.once(async () => {
      const { data, error, response } = await api.PATCH('/api/v1/brands/{id}', {
        params: { path: { id: brand.id }, header: { 'Idempotency-Key': idempotency.key } },
        body: { ...changed, reason: reason.trimmed },
      });
      idempotency.settle(response, error);
      if (data) return onCorrected();
      const refusal = problemOf(error);
      // A name another brand of the region holds: said at the name.
      if (response.status === 409 && refusal.rule === 'brand_name_taken') setProblem(words.sayAt('name', refusal));
      else if (!words.sayAtFields(refusedAtFields(refusal.errors ?? [], buildingUnits))) showRefusal(error, setProblem, () => void onRefused());
      else setProblem(null);
      if (response.status === 404) await onRefused();
    });
  };

  const ids = { what: `brand-correct-what-${brand.id}` };
  const field = (name: Field, extra: Record<string, unknown> = {}) => (
    <StepField
      id={`brand-correct-${name}-${brand.id}`}
      name={name}
      label={t(`brand.correct.${name}`)}
      value={values[name]}
      words={words}
      describedBy={name === 'name' ? ids.what : undefined}
      focusInto={name === 'name' ? focus.into : undefined}
      type="text"
      onEdit={(value) => setValues({ ...values, [name]: value })}
      {...extra}
    />
  );
  return (
    <ConfirmStep
      title={t('brand.correct.confirmTitle', { name: brand.name })}
      problem={problem}
      confirmText={t('brand.correct.confirm')}
      tone="primary"
      busy={sending.busy}
      onConfirm={() => void correct()}
      onCancel={() => setConfirming(false)}
    >
      <p id={ids.what}>{t('brand.correct.what')}</p>
      {field('name', { maxLength: NAME_MAX })}
      {field('industryCode', { autoCapitalize: 'characters' })}
      {field('occupationCodes')}
      {field('buildingUnits', { autoCapitalize: 'characters' })}
      <div className="step-field">
        <KeptReasonField id={`brand-correct-reason-${brand.id}`} label={t('brand.correct.reason')} requiredText={t('brand.correct.reasonRequired')} reason={reason} inputRef={reasonInput} />
      </div>
    </ConfirmStep>
  );
}

/**
 * A 400's errors about the step's fields, each at its field in the words of its rule; a building unit, named by
 * its place in the list sent (buildingUnits.1), at the units' field with its code.
 */
function refusedAtFields(errors: NonNullable<ReturnType<typeof problemOf>['errors']>, buildingUnits: string[]): Partial<Record<Field, FieldWords>> {
  const atFields: Partial<Record<Field, FieldWords>> = {};
  for (const fieldError of errors) {
    const unit = /^buildingUnits\.(\d+)$/.exec(fieldError.field ?? '');
    const field = unit ? 'buildingUnits' : (fieldError.field as Field | undefined);
    if (!field || !(FIELDS as readonly string[]).includes(field)) continue;
    atFields[field] = (t) => {
      const ruleWords = fieldRuleWords(fieldError.rule, t) ?? fieldError.message ?? t('common.failed');
      return unit ? `${buildingUnits[Number(unit[1])] ?? ''} ${ruleWords}`.trim() : ruleWords;
    };
  }
  return atFields;
}
