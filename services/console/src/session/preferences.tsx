import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import type { Locale } from '../i18n/i18n';
import { useSession } from './session-context';

export interface Preferences {
  locale: Locale;
  elderMode: boolean;
}

const DEFAULTS: Preferences = { locale: 'zh-CN', elderMode: false };
const LOCAL_KEY = 'skills.preferences';

function localPreferences(): Preferences {
  try {
    return { ...DEFAULTS, ...(JSON.parse(localStorage.getItem(LOCAL_KEY) ?? '{}') as Partial<Preferences>) };
  } catch {
    return DEFAULTS;
  }
}

const PreferencesContext = createContext<{ preferences: Preferences; change(changes: Partial<Preferences>): void }>({ preferences: DEFAULTS, change: () => undefined });

/**
 * Language and elder-friendly mode (适老化). Signed in, they are the user's, kept on the server
 * (`/api/v1/me/preferences`) so they follow the user to another device; before sign-in, this
 * browser's. The page's `lang` and the `elder` class on <html> follow them.
 */
export function PreferencesProvider({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const [preferences, setPreferences] = useState<Preferences>(localPreferences);

  useEffect(() => {
    if (!me) return;
    void api.GET('/api/v1/me/preferences').then(({ data }) => data && setPreferences({ locale: data.locale as Locale, elderMode: data.elderMode }));
  }, [me]);

  useEffect(() => {
    document.documentElement.lang = preferences.locale;
    document.documentElement.classList.toggle('elder', preferences.elderMode);
    localStorage.setItem(LOCAL_KEY, JSON.stringify(preferences));
  }, [preferences]);

  const change = useCallback(
    (changes: Partial<Preferences>) => {
      setPreferences((current) => ({ ...current, ...changes }));
      if (me) void api.PUT('/api/v1/me/preferences', { body: changes });
    },
    [me],
  );
  return <PreferencesContext.Provider value={{ preferences, change }}>{children}</PreferencesContext.Provider>;
}

export const usePreferences = () => useContext(PreferencesContext);
