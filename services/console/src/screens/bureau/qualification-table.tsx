import type { components } from '../../api/schema';
import { FreshnessLine } from '../../components/freshness-line';
import { useI18n } from '../../i18n/i18n';
import { criterionFigure } from './criterion-figure';
import type { Qualification, Tier } from './brand';

type Policy = components['schemas']['PolicyDto'];
type Criterion = Qualification['unmet'][number]['criterion'];

/**
 * Each threshold with the actual figure, the required one and met or not (in words, not only colour), and the figures' freshness.
 * The verdict above them: while facts are still arriving (completeUpTo null) it is provisional, not green or red,
 * for the figures may move either way (an employment ended lowers them as surely as a hire raises them); and a
 * brand certified by the as-of date (`certifiedTier`) whose figures fail no longer qualifies, rather than "not yet".
 */
export function QualificationTable({ qualification, policy, certifiedTier }: { qualification: Qualification; policy: Policy; certifiedTier: Tier | null }) {
  const { t, locale } = useI18n();
  const unmet = new Set(qualification.unmet.map((criterion) => criterion.criterion));
  const complete = qualification.freshness.completeUpTo !== null;
  const verdict = qualification.qualifies
    ? t('brand.qualifies', { asOf: qualification.asOf })
    : certifiedTier
      ? t('brand.noLongerQualifies', {
          tier: t(`tierInText.${certifiedTier}`),
          asOf: qualification.asOf,
          criteria: qualification.unmet.map(({ criterion }) => t(`criterion.${criterion}`)).join(locale === 'en' ? ', ' : '、'),
        })
      : t('brand.doesNotQualify', { asOf: qualification.asOf });
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
      <p className={`verdict ${complete ? (qualification.qualifies ? 'verdict-good' : 'verdict-bad') : ''}`} data-qualifies={qualification.qualifies} data-provisional={!complete} role="status">
        {complete ? verdict : `${t('brand.provisional')}${verdict}`}
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
