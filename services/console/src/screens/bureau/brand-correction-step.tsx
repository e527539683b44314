import { isValidCreditCode } from '@skills/domain-kernel';
import { useRef, useState, type RefObject } from 'react';
import { api, problemOf } from '../../api/client';
import type { components } from '../../api/schema';
import { ConfirmStep } from '../../components/confirm-step';
import { showRefusal } from '../../components/idempotency-key';
import { KeptReasonField } from '../../components/kept-reason-field';
import { useKeptReasonStep } from '../../components/kept-reason-step';
import { fieldRuleWords } from '../../components/rule-words';
import { useI18n } from '../../i18n/i18n';
import { industryRule, NAME_MAX, occupationCodesTyped, unreadOccupations } from './brand-register-rules';

type Brand = components['schemas']['BrandAnswer'];

const FIELDS = ['name', 'industryCode', 'occupationCodes', 'buildingUnits'] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;

/** Codes typed into one field, split at commas (either width), 、 and spaces or lines, each once. */
const codesTyped = occupationCodesTyped;
const sameCodes = (a: string[], b: string[]) => a.length === b.length && a.every((code) => b.includes(code));
const valuesOf = (brand: Brand): Values => ({ name: brand.name, industryCode: brand.industryCode, occupationCodes: brand.occupationCodes.join(', '), buildingUnits: brand.buildingUnits.join(', ') });

/**
 * Correcting a labour brand registered with a mistake (`PATCH /api/v1/brands/{id}`): the button opens, in place,
 * what may be corrected (name, industry, occupations, building units) and what not (the bureau, region and tier: a
 * brand of another tier is another brand), the brand's details to change, the reason (kept for good) and the
 * confirmation. Only what changed is sent. A wrong field is said at the field, the console's own check first and
 * the server's refusal the same way (a 400's `errors[]`, a building unit's `buildingUnits.<index>` at the units'
 * field naming its code; a name another brand holds at the name); any other refusal inside the step.
 */
export function BrandCorrectionStep({ brand, onCorrected, onRefused }: { brand: Brand; onCorrected(): Promise<void>; onRefused(): Promise<void> }) {
  const { t } = useI18n();
  const { confirming, setConfirming, reason, problem, setProblem, focus, idempotency, sending } = useKeptReasonStep();
  const [values, setValues] = useState<Values>(() => valuesOf(brand));
  const [checked, setChecked] = useState(false);
  const [refusedAt, setRefusedAt] = useState<Partial<Record<Field, string>>>({});
  const inputs: Record<Field, RefObject<HTMLInputElement | null>> = { name: focus.into, industryCode: useRef(null), occupationCodes: useRef(null), buildingUnits: useRef(null) };
  const reasonInput = useRef<HTMLInputElement>(null);

  if (!confirming)
    return (
      <button
        type="button"
        ref={focus.back}
        onClick={() => {
          setValues(valuesOf(brand));
          setChecked(false);
          setRefusedAt({});
          setProblem(null);
          setConfirming(true);
        }}
      >
        {t('brand.correct.start')}
      </button>
    );

  const occupationCodes = codesTyped(values.occupationCodes);
  const buildingUnits = codesTyped(values.buildingUnits.toUpperCase());
  const unreadOccupationCodes = unreadOccupations(occupationCodes);
  const unreadUnits = buildingUnits.filter((code) => !isValidCreditCode(code));
  const industry = industryRule(values.industryCode.trim());
  const localErrors: Partial<Record<Field, string>> = {
    name: !values.name.trim() ? t('brandRegister.nameRequired') : values.name.trim().length > NAME_MAX ? t('brand.correct.nameTooLong', { max: NAME_MAX }) : undefined,
    industryCode: industry ? t(industry) : undefined,
    occupationCodes: occupationCodes.length === 0 ? t('brand.correct.codesRequired') : unreadOccupationCodes.length > 0 ? t('brandRegister.occupationsRule', { codes: unreadOccupationCodes.join(', ') }) : undefined,
    buildingUnits: buildingUnits.length === 0 ? t('brand.correct.codesRequired') : unreadUnits.length > 0 ? t('brand.correct.unitsRule', { codes: unreadUnits.join(', ') }) : undefined,
  };
  const errors: Partial<Record<Field, string>> = Object.fromEntries(FIELDS.map((field) => [field, (checked ? localErrors[field] : undefined) ?? refusedAt[field]]));
  const change = (field: Field, value: string) => {
    setValues({ ...values, [field]: value });
    setRefusedAt({ ...refusedAt, [field]: undefined });
  };

  const correct = async () => {
    setChecked(true);
    setRefusedAt({});
    // Said at the field: the focus goes to the first wrong one, where a screen reader reads its words.
    const wrong = FIELDS.find((field) => localErrors[field]);
    if (wrong) {
      setProblem(null);
      return inputs[wrong].current?.focus();
    }
    const changed = {
      ...(values.name.trim() !== brand.name ? { name: values.name.trim() } : {}),
      ...(values.industryCode.trim() !== brand.industryCode ? { industryCode: values.industryCode.trim() } : {}),
      ...(!sameCodes(occupationCodes, brand.occupationCodes) ? { occupationCodes } : {}),
      ...(!sameCodes(buildingUnits, brand.buildingUnits) ? { buildingUnits } : {}),
    };
    if (Object.keys(changed).length === 0) {
      setProblem({ message: t('brand.correct.unchanged') });
      return inputs.name.current?.focus();
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
      const atFields: Partial<Record<Field, string>> = {};
      for (const fieldError of refusal.errors ?? []) {
        // A building unit is named by its place in the list sent (buildingUnits.1): said at the units' field with its code.
        const unit = /^buildingUnits\.(\d+)$/.exec(fieldError.field ?? '');
        const field = unit ? 'buildingUnits' : (fieldError.field as Field | undefined);
        if (!field || !(FIELDS as readonly string[]).includes(field)) continue;
        const words = fieldRuleWords(fieldError.rule, t) ?? fieldError.message ?? t('common.failed');
        atFields[field] = unit ? `${buildingUnits[Number(unit[1])] ?? ''} ${words}`.trim() : words;
      }
      // A name another brand of the region holds: said at the name.
      if (response.status === 409 && refusal.rule === 'brand_name_taken') atFields.name = t('rule.brand_name_taken');
      const first = FIELDS.find((field) => atFields[field]);
      if (first) {
        setRefusedAt(atFields);
        setProblem(null);
        inputs[first].current?.focus();
      } else showRefusal(error, setProblem, () => void onRefused());
      if (response.status === 404) await onRefused();
    });
  };

  const ids = { what: `brand-correct-what-${brand.id}` };
  const field = (name: Field, extra: Record<string, unknown> = {}) => {
    const id = `brand-correct-${name}-${brand.id}`;
    const error = errors[name];
    // The step is no form: its fields stand as a form's would, each label above its field (styles.css).
    return (
      <div className="step-field">
        <label htmlFor={id}>{t(`brand.correct.${name}`)}</label>
        <input
          id={id}
          ref={inputs[name]}
          type="text"
          required
          value={values[name]}
          onChange={(event) => change(name, event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={[name === 'name' ? ids.what : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
          {...extra}
        />
        {error && (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        )}
      </div>
    );
  };
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
