import { useI18n } from '../i18n/i18n';
import { instantText } from './dates';

/** How complete figures are, as the API answers it (FreshnessDoc): both null while facts are arriving uncounted. */
export interface Freshness {
  completeUpTo: string | null;
  pendingFacts: number | null;
}

/**
 * How fresh the figures shown are (docs/console.md "Numbers people decide on are shown with … how fresh the
 * figures are"): complete up to an instant, or still arriving: how many records when the API knows, and in
 * words when it does not (pendingFacts null: the broker could not be asked, a brand's figures still counted).
 * `of`: what is shown, figures (which may be off either way: a fact still arriving may lower them as well as raise
 * them) or a person's records (a timeline, which may lack some).
 */
export function FreshnessLine({ freshness, testId, of = 'figures' }: { freshness: Freshness; testId?: string; of?: 'figures' | 'records' }) {
  const { t, locale } = useI18n();
  const { completeUpTo, pendingFacts } = freshness;
  return (
    <p className="hint" data-testid={testId}>
      {completeUpTo
        ? t('freshness.completeUpTo', { at: instantText(completeUpTo, locale) })
        : pendingFacts === null
          ? t(of === 'records' ? 'freshness.recordsArrivingUncounted' : 'freshness.arrivingUncounted')
          : t(of === 'records' ? 'freshness.recordsArriving' : 'freshness.arriving', { count: pendingFacts })}
    </p>
  );
}
