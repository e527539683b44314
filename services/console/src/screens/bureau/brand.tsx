import { useCallback, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { today } from '../../components/dates';
import { occupationWords } from '../../components/occupation-words';
import { ProblemMessage } from '../../components/problem-message';
import { useFocusAfterSuccess } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';
import { percent } from '../../components/percent';
import { useSession } from '../../session/session-context';
import { BrandCorrectionStep } from './brand-correction-step';
import { BrandHistory } from './brand-history';
import { BuildingUnits } from './building-units';
import { CertifyStep, type KeptFiguresRead } from './certify-step';
import { QualificationChart } from './qualification-chart';
import { QualificationTable } from './qualification-table';
import { tierStandingOn } from './standing-tiers';

type Brand = components['schemas']['BrandAnswer'];
export type Qualification = components['schemas']['QualificationAnswer'];
export type Tier = Brand['tier'];

/** The tier a bureau may decide follows its region code's level (domain.md section 9). */
export function tierOfBureau(regionCode: string | null | undefined): Tier | null {
  if (!regionCode) return null;
  if (regionCode === '000000') return 'national';
  if (regionCode.endsWith('0000')) return 'provincial';
  if (regionCode.endsWith('00')) return 'city';
  return null;
}

/**
 * A brand's page for the bureau deciding on it (and, read-only, for the staff of its building units and the
 * platform admin, who decide nothing: brands:certify is a bureau officer's alone): its policy, the live figures against each threshold as
 * of a chosen date (and how fresh they are), their course through the policy window, certification and
 * revocation with an inline confirmation, and the history of decisions.
 */
export function BrandPage() {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { id = '' } = useParams();
  const [brand, setBrand] = useState<Brand | null>(null);
  const [asOf, setAsOf] = useState(today());
  const [qualification, setQualification] = useState<Qualification | null>(null);
  // One problem for each read: the figures read fine must not clear a failed brand read (which would leave the page loading for good).
  const [brandProblem, setBrandProblem] = useState<Problem | null>(null);
  const [qualificationProblem, setQualificationProblem] = useState<Problem | null>(null);
  const [corrected, setCorrected] = useState(false);
  const afterCorrection = useFocusAfterSuccess<HTMLParagraphElement>();

  const loadBrand = useCallback(async () => {
    const { data, error } = await api.GET('/api/v1/brands/{id}', { params: { path: { id } } });
    setBrandProblem(data ? null : problemOf(error));
    if (data) setBrand(data);
  }, [id]);

  // The date may change again before an answer lands: only the latest request's answer is shown.
  const latestQualification = useRef(0);
  const loadQualification = useCallback(async () => {
    const request = ++latestQualification.current;
    const { data, error } = await api.GET('/api/v1/brands/{id}/qualification', { params: { path: { id }, query: { asOf } } });
    if (request !== latestQualification.current) return;
    setQualification(data ?? null);
    setQualificationProblem(data ? null : problemOf(error));
  }, [id, asOf]);

  // The figures a certification keeps, read as the API decides on them (consistent=true: every event accepted
  // so far applied) when the officer starts certifying; the table shows them too. A 503 while they catch up
  // leaves the figures shown as they were, and the step says it.
  const readKeptFigures = useCallback(async (): Promise<KeptFiguresRead> => {
    const request = ++latestQualification.current;
    const { data, error } = await api.GET('/api/v1/brands/{id}/qualification', { params: { path: { id }, query: { asOf, consistent: 'true' } } });
    if (request !== latestQualification.current) return null;
    if (!data) return { problem: problemOf(error) };
    setQualification(data);
    setQualificationProblem(null);
    return { figures: data };
  }, [id, asOf]);

  useEffect(() => {
    void loadBrand();
  }, [loadBrand]);
  useEffect(() => {
    void loadQualification();
  }, [loadQualification]);

  if (!brand) return brandProblem ? <ProblemMessage problem={brandProblem} /> : <p role="status">{t('common.loading')}</p>;
  const { policy } = brand;
  // Only a bureau officer decides (brands:certify, brands:revoke); a school in a city's own district code must not be offered the city tier.
  const tier = me?.role === 'bureau_officer' ? tierOfBureau(me.regionCode) : null;
  const tierStands = brand.certifications.some((certification) => certification.tier === tier && certification.status !== 'revoked');
  return (
    <section>
      <h1>{brand.name}</h1>
      {/* A reading again that failed (after a decision): what is shown is the brand as last read. */}
      <ProblemMessage problem={brandProblem} />
      <dl className="facts">
        <dt>{t('brand.region')}</dt>
        <dd>{brand.regionCode}</dd>
        <dt>{t('brand.tier')}</dt>
        <dd>{t(`tier.${brand.tier}`)}</dd>
        <dt>{t('brand.occupations')}</dt>
        <dd>{brand.occupationCodes.map((code) => occupationWords(code, locale)).join(locale === 'en' ? ', ' : '、')}</dd>
        <dt>{t('brand.industry')}</dt>
        <dd>{brand.industryCode}</dd>
        <dt>{t('brand.buildingUnits')}</dt>
        <dd data-testid="building-units">
          <BuildingUnits creditCodes={brand.buildingUnits} regionCode={brand.regionCode} />
        </dd>
        <dt>{t('brand.window')}</dt>
        <dd>
          {policy.windowStart} – {policy.windowEnd}
        </dd>
      </dl>
      {corrected && (
        <p role="status" className="success" tabIndex={-1} ref={afterCorrection.target}>
          {t('brand.corrected')}
        </p>
      )}
      {/* Corrected by whoever may register it (brands:register): a bureau officer of the brand's tier's level. */}
      {tier === brand.tier && (
        <BrandCorrectionStep
          key={`${brand.name}|${brand.industryCode}|${brand.occupationCodes.join()}|${brand.buildingUnits.join()}`}
          brand={brand}
          onCorrected={async () => {
            await loadBrand();
            await loadQualification();
            setCorrected(true);
            afterCorrection.focusTarget();
          }}
          onRefused={loadBrand}
        />
      )}
      <h2>{t('brand.policy')}</h2>
      <ul>
        <li>{t('policy.minTrained', { value: policy.minTrained })}</li>
        {/* Rates as the table and the decisions say them (percent): 0.855 is 85.5 %, not the 86 % it misses. */}
        <li>{t('policy.minPassRate', { value: percent(policy.minPassRate) })}</li>
        <li>{t('policy.minEmploymentRate', { value: percent(policy.minEmploymentRate) })}</li>
        {policy.minEmployed !== undefined && <li>{t('policy.minEmployed', { value: policy.minEmployed })}</li>}
        {policy.requiresEthicsTraining && <li>{t('policy.requiresEthicsTraining')}</li>}
      </ul>
      <h2 id="figures-title">{t('brand.figures')}</h2>
      <div className="inline-form">
        <label htmlFor="asOf">{t('brand.asOf')}</label>
        <input id="asOf" type="date" value={asOf} max={today()} onChange={(event) => event.target.value && setAsOf(event.target.value)} />
      </div>
      <ProblemMessage problem={qualificationProblem} />
      {qualification && <QualificationTable qualification={qualification} policy={policy} certifiedTier={tierStandingOn(brand.certifications, qualification.asOf)} />}
      <QualificationChart brandId={id} policy={policy} />
      {/* Only on the figures of the date it decides on: until they have come, those shown are another date's. */}
      {tier && qualification && qualification.asOf === asOf && (
        <CertifyStep
          brandId={id}
          tier={tier}
          decidedOn={asOf}
          qualification={qualification}
          standing={tierStands}
          readKeptFigures={readKeptFigures}
          onAnswered={async () => {
            await loadBrand();
            await loadQualification();
          }}
        />
      )}
      {/* A building unit's staff read what the bureau decides: said once, where the decisions are. */}
      {(me?.role === 'school_staff' || me?.role === 'employer_staff') && <p className="hint">{t('brand.decidedByBureau')}</p>}
      <BrandHistory brandId={id} certifications={brand.certifications} mayRevoke={tier} onRevoked={loadBrand} />
    </section>
  );
}
