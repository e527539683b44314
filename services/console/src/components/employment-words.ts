import type { Locale, Translate } from '../i18n/i18n';

/**
 * A hire's monthly wage and why an employment ended, in words, when the archive answer holds them: the API
 * answers them only to the trainee, platform_admin and that employer's staff (domain.md section 9), and to
 * anyone else the entry comes without them, so nothing is said.
 */
export function employmentWords(entry: Record<string, unknown>, t: Translate, locale: Locale): string[] {
  const { monthlyWage, reason } = entry;
  return [
    entry['kind'] === 'hired' && typeof monthlyWage === 'number' ? t('worker.archive.monthlyWage', { amount: monthlyWage.toLocaleString(locale) }) : '',
    entry['kind'] === 'employment_ended' && typeof reason === 'string' && reason ? t('worker.archive.endReason', { reason }) : '',
  ].filter(Boolean);
}
