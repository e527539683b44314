import type { components } from '../../api/schema';
import { FreshnessLine } from '../../components/freshness-line';
import { useI18n } from '../../i18n/i18n';
import { criterionFigure } from './criterion-figure';
import type { Qualification } from './brand';

type Policy = components['schemas']['PolicyDto'];
type Criterion = Qualification['unmet'][number]['criterion'];

/** Each threshold with the actual figure, the required one and met or not (in words, not only colour), and the figures' freshness. */
export function QualificationTable({ qualification, policy }: { qualification: Qualification; policy: Policy }) {
  const { t } = useI18n();
  const unmet = new Set(qualification.unmet.map((criterion) => criterion.criterion));
  const figures: { criterion: Criterion; actual: number | boolean; required: number | boolean }[] = [
    { criterion: 'minTrained', actual: qualification.trained, required: policy.minTrained },
    { criterion: 'minPassRate', actual: qualification.passRate, required: policy.minPassRate },
    { criterion: 'minEmploymentRate', actual: qualification.employmentRate, required: policy.minEmploymentRate },
  ];
  if (policy.minEmployed !== undefined) figures.push({ criterion: 'minEmployed', actual: qualification.employedInIndustry, required: policy.minEmployed });
  if (policy.requiresEthicsTraining) figures.push({ criterion: 'requiresEthicsTraining', actual: qualification.ethicsTrainingHeld, required: true });
  const rows = figures.map(({ criterion, actual, required }) => ({ criterion, actual: criterionFigure(criterion, actual, t, unmet.has(criterion)), required: criterionFigure(criterion, required, t) }));
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
