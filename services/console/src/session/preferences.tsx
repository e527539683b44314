import { createContext, useCallback, useContext, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import { translator, type Locale } from '../i18n/i18n';
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
 *
 * The server's come with `GET /api/v1/me` (no second request that could land after a change just
 * made). A change shows at once and is saved; when saving fails the page quietly goes back to what the
 * server holds, so what is shown never differs from what follows the user.
 */
export function PreferencesProvider({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const [preferences, setPreferences] = useState<Preferences>(localPreferences);
  /** What the server holds, as it last said. */
  const saved = useRef<Preferences | null>(null);
  /** Only the latest change's answer is applied: an earlier one's may land after a later change. */
  const latestChange = useRef(0);

  // The server's preferences are taken in the same render that first shows the signed-in user (React's
  // "adjust state when a prop changes"), not in an effect after it: otherwise the signed-in page shows
  // for a moment in this browser's language, and a click on its language button in that moment is lost.
  const [meSeen, setMeSeen] = useState(me);
  if (me !== meSeen) {
    setMeSeen(me);
    saved.current = me ? { locale: me.preferences.locale, elderMode: me.preferences.elderMode } : null;
    if (saved.current) setPreferences(saved.current);
  }

  // Before paint, in the same task as the change it shows: nothing sees the page's old language.
  useLayoutEffect(() => {
    document.documentElement.lang = preferences.locale;
    document.title = translator(preferences.locale)('app.name');
    document.documentElement.classList.toggle('elder', preferences.elderMode);
    localStorage.setItem(LOCAL_KEY, JSON.stringify(preferences));
  }, [preferences]);

  const change = useCallback(
    (changes: Partial<Preferences>) => {
      setPreferences((current) => ({ ...current, ...changes }));
      if (!me) return;
      const thisChange = ++latestChange.current;
      const settle = (answer: Preferences | undefined) => {
        if (answer) saved.current = answer;
        if (thisChange === latestChange.current && saved.current) setPreferences(saved.current);
      };
      void api.PUT('/api/v1/me/preferences', { body: changes }).then(
        ({ data }) => settle(data && { locale: data.locale, elderMode: data.elderMode }),
        () => settle(undefined),
      );
    },
    [me],
  );
  return <PreferencesContext.Provider value={{ preferences, change }}>{children}</PreferencesContext.Provider>;
}

export const usePreferences = () => useContext(PreferencesContext);
