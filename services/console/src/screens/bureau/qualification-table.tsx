import type { components } from '../../api/schema';
import { FreshnessLine } from '../../components/freshness-line';
import { useI18n } from '../../i18n/i18n';
import type { Qualification } from './brand';

type Policy = components['schemas']['PolicyDto'];

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** Each threshold with the actual figure, the required one and met or not (in words, not only colour), and the figures' freshness. */
export function QualificationTable({ qualification, policy }: { qualification: Qualification; policy: Policy }) {
  const { t } = useI18n();
  const unmet = new Set(qualification.unmet.map((criterion) => criterion.criterion));
  const rows: { criterion: Qualification['unmet'][number]['criterion']; actual: string; required: string }[] = [
    { criterion: 'minTrained', actual: String(qualification.trained), required: String(policy.minTrained) },
    { criterion: 'minPassRate', actual: percent(qualification.passRate), required: percent(policy.minPassRate) },
    { criterion: 'minEmploymentRate', actual: percent(qualification.employmentRate), required: percent(policy.minEmploymentRate) },
  ];
  if (policy.minEmployed !== undefined) rows.push({ criterion: 'minEmployed', actual: String(qualification.employedInIndustry), required: String(policy.minEmployed) });
  if (policy.requiresEthicsTraining) rows.push({ criterion: 'requiresEthicsTraining', actual: t(qualification.ethicsTrainingHeld ? 'common.yes' : 'common.no'), required: t('common.yes') });
  return (
    <>
      <p className={`verdict ${qualification.qualifies ? 'verdict-good' : 'verdict-bad'}`} data-qualifies={qualification.qualifies} role="status">
        {t(qualification.qualifies ? 'brand.qualifies' : 'brand.doesNotQualify', { asOf: qualification.asOf })}
      </p>
      <table aria-labelledby="figures-title">
        <thead>
          <tr>
            <th scope="col">{t('brand.criterion')}</th>
            <th scope="col">{t('brand.actual')}</th>
            <th scope="col">{t('brand.required')}</th>
            <th scope="col">{t('brand.met')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.criterion} data-met={!unmet.has(row.criterion)}>
              <th scope="row">{t(`criterion.${row.criterion}`)}</th>
              <td>{row.actual}</td>
              <td>{row.required}</td>
              <td className={unmet.has(row.criterion) ? 'unmet' : 'met'}>{unmet.has(row.criterion) ? `✗ ${t('brand.notMet')}` : `✓ ${t('brand.isMet')}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <FreshnessLine freshness={qualification.freshness} />
    </>
  );
}
