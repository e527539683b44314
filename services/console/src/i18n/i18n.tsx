import { createContext, useContext, type ReactNode } from 'react';
import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: Locale[] = ['zh-CN', 'en'];

/** Both catalogues have every key: en is typed `Record<MessageKey, string>`, so a missing one fails the build. */
const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/**
 * `{name}` placeholders are filled from values; every string a screen shows comes through here. A key
 * the catalogue lacks (one built from an API value the console does not know yet) is shown as the key,
 * which the browser tests look for, rather than blanking the page.
 */
export function translator(locale: Locale): Translate {
  const catalogue = CATALOGUES[locale];
  return (key, values) => (catalogue[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? `{${name}}`));
}

const LocaleContext = createContext<{ locale: Locale; t: Translate }>({ locale: 'zh-CN', t: translator('zh-CN') });

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <LocaleContext.Provider value={{ locale, t: translator(locale) }}>{children}</LocaleContext.Provider>;
}

export const useI18n = () => useContext(LocaleContext);

/** A key built from an API value (a level, a rule name), looked up only if the catalogue has it. */
export function hasMessage(key: string): key is MessageKey {
  return key in zhCN;
}
