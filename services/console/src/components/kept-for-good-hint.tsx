import { useI18n } from '../i18n/i18n';

/**
 * The hint under a free-text field whose words are kept for good (api.md: a revocation's or an ending's
 * reason, a direct certification's justification): an erasure of the person's data never reaches them
 * (domain.md section 7), so the clerk is asked to write no one's personal data there. Its field points to
 * it with aria-describedby={id}.
 */
export function KeptForGoodHint({ id }: { id: string }) {
  const { t } = useI18n();
  return (
    <p id={id} className="hint">
      {t('hint.keptForGood')}
    </p>
  );
}
