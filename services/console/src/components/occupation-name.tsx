import { useI18n } from '../i18n/i18n';
import { occupationWords } from './occupation-words';

/** An occupation as people read it: its name in the page's language with its code (the code alone where no name is known). */
export function OccupationName({ code }: { code: string }) {
  const { locale } = useI18n();
  return <>{occupationWords(code, locale)}</>;
}
