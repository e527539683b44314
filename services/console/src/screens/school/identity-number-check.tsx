import { readIdentityNumber } from '@skills/domain-kernel';
import { useI18n } from '../../i18n/i18n';
import { today } from '../../components/dates';

/** The domain kernel's reading of an identity number as it is typed: its rule broken, or its birth date and gender. */
export function identityNumberProblem(value: string): string | null {
  if (value.length < 18) return null;
  const reading = readIdentityNumber(value, today());
  return reading.ok ? null : reading.problem;
}

export function IdentityNumberFacts({ value, id }: { value: string; id: string }) {
  const { t } = useI18n();
  if (value.length === 0) return <p id={id} className="hint">{t('register.idNumberHint')}</p>;
  if (value.length < 18) return <p id={id} className="hint">{t('register.idNumberDigitsLeft', { count: 18 - value.length })}</p>;
  const reading = readIdentityNumber(value, today());
  if (!reading.ok)
    return (
      <p id={id} className="field-error" role="alert">
        {t(`idNumber.${reading.problem}`)}
      </p>
    );
  return (
    <p id={id} className="field-ok" role="status">
      {t('register.idNumberFacts', { birthDate: reading.facts.birthDate, gender: t(`gender.${reading.facts.gender}`) })}
    </p>
  );
}
