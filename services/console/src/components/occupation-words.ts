import { occupationLabel } from '@skills/domain-kernel';
import type { Locale } from '../i18n/i18n';

/** The occupation's name in the page's language, with its code (the name alone where the table has none). */
export function occupationWords(code: string, locale: Locale): string {
  const name = occupationLabel(code, locale);
  if (name === code) return code;
  return locale === 'en' ? `${name} (${code})` : `${name}（${code}）`;
}
