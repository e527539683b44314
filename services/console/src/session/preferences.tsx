import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import type { Locale } from '../i18n/i18n';
import { useSession } from './session-context';

export interface Preferences {
  locale: Locale;
  elderMode: boolean;
}

const DEFAULTS: Preferences = { locale: 'zh-CN', elderMode: false };
const LOCAL_KEY = 'skills.preferences';

/**
 * The language of a first visit, before any was chosen in this browser: the browser's, as its reader ranks
 * them (navigator.languages): English when an English tag comes before any Chinese one; otherwise Chinese,
 * the console's own.
 */
function browserLocale(languages: readonly string[]): Locale {
  const first = languages.map((tag) => tag.toLowerCase()).find((tag) => /^(en|zh)(-|$)/.test(tag));
  return first?.startsWith('en') ? 'en' : 'zh-CN';
}

/** This browser's preferences: those saved here (a choice, or the first visit's language), else the first visit's. */
function localPreferences(): Preferences {
  const firstVisit: Preferences = { ...DEFAULTS, locale: browserLocale(navigator.languages) };
  try {
    return { ...firstVisit, ...(JSON.parse(localStorage.getItem(LOCAL_KEY) ?? '{}') as Partial<Preferences>) };
  } catch {
    return firstVisit;
  }
}

interface PreferencesState {
  preferences: Preferences;
  change(changes: Partial<Preferences>): void;
  /** The last change could not be saved with the user: it applies in this browser only, until a change is saved. */
  unsaved: boolean;
}

const PreferencesContext = createContext<PreferencesState>({ preferences: DEFAULTS, change: () => undefined, unsaved: false });

/**
 * Language and elder-friendly mode (适老化). Signed in, they are the user's, kept on the server
 * (`/api/v1/me/preferences`) so they follow the user to another device; before sign-in, this
 * browser's. The page's `lang` and the `elder` class on <html> follow them.
 *
 * The server's come with `GET /api/v1/me` (no second request that could land after a change just
 * made); a user who never chose keeps those chosen here before they signed in, saved as their first
 * choice (not those the last user of a shared computer left). A change shows at once and is saved. When saving fails the change stays (an elder-mode switch
 * that turned itself back off would leave its reader with text too small, unsure whether they pressed it),
 * kept in this browser, and `unsaved` has the header say that it could not be saved with the user; the next
 * change sends it again with its own, so what follows the user catches up once a save succeeds.
 */
export function PreferencesProvider({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const [preferences, setPreferences] = useState<Preferences>(localPreferences);
  /** Only the latest change's answer is applied: an earlier one's may land after a later change. */
  const latestChange = useRef(0);
  /** Changes shown but not saved with the user (their saving failed): sent again with the next change. */
  const pending = useRef<Partial<Preferences>>({});
  const [unsaved, setUnsaved] = useState(false);

  // The server's preferences are taken in the same render that first shows the signed-in user (React's
  // "adjust state when a prop changes"), not in an effect after it: otherwise the signed-in page shows
  // for a moment in this browser's language, and a click on its language button in that moment is lost.
  const [meSeen, setMeSeen] = useState(me);
  /** Whose the unsaved changes are: another user (or nobody) signed in does not inherit them. */
  const [changesOf, setChangesOf] = useState<string | null>(null);
  /**
   * Whether the language or mode was chosen here since the last sign-out: what a user who never chose
   * then signs in with is theirs. Not what the last user of a shared computer left behind.
   */
  const [choseSignedOut, setChoseSignedOut] = useState(false);
  const carryOver = me?.preferencesChosen === false && choseSignedOut;
  if (me !== meSeen) {
    setMeSeen(me);
    // Signed out (null), not merely not known yet (undefined: /me being read again).
    if (me === null) setChoseSignedOut(false);
    // Signed out, or another user signed in: the changes not saved were the last user's alone.
    if (me?.userId !== changesOf) {
      pending.current = {};
      setUnsaved(false);
      setChangesOf(me?.userId ?? null);
    }
    // The same user read again (a renewed session) keeps what they changed here and could not save yet.
    // A user who never chose keeps what was chosen here before they signed in (the language they signed in
    // or activated their account in), saved with them below. (An identity service of before, which does not
    // say, answers preferences the user may have chosen: they are taken.)
    if (me && !carryOver) setPreferences({ locale: me.preferences.locale, elderMode: me.preferences.elderMode, ...(me.userId === changesOf ? pending.current : {}) });
  }

  // Before paint, in the same task as the change it shows: nothing sees the page's old language.
  useLayoutEffect(() => {
    document.documentElement.lang = preferences.locale;
    // The title is the page's (components/use-page-title): its heading, then the console's name.
    document.documentElement.classList.toggle('elder', preferences.elderMode);
    localStorage.setItem(LOCAL_KEY, JSON.stringify(preferences));
  }, [preferences]);

  const change = useCallback(
    (changes: Partial<Preferences>) => {
      setPreferences((current) => ({ ...current, ...changes }));
      if (!me) return setChoseSignedOut(true);
      const thisChange = ++latestChange.current;
      const sent = { ...pending.current, ...changes };
      pending.current = sent;
      // The latest change's answer: it sent every change not saved yet, so what it answers is what is shown.
      const settle = (answer: Preferences | undefined) => {
        if (thisChange !== latestChange.current) return;
        if (!answer) return setUnsaved(true);
        pending.current = {};
        setUnsaved(false);
        setPreferences(answer);
      };
      void api.PUT('/api/v1/me/preferences', { body: sent }).then(
        ({ data }) => settle(data && { locale: data.locale, elderMode: data.elderMode }),
        () => settle(undefined),
      );
    },
    [me],
  );
  // What a user who never chose signed in with (chosen here while signed out) becomes their choice, once
  // per user signed in here: it then follows them to another device like any change of theirs.
  const carriedFor = useRef<string | null>(null);
  useEffect(() => {
    if (!me || !carryOver || carriedFor.current === me.userId) return;
    carriedFor.current = me.userId;
    change(preferences);
  }, [me, carryOver, change, preferences]);

  return <PreferencesContext.Provider value={{ preferences, change, unsaved }}>{children}</PreferencesContext.Provider>;
}

export const usePreferences = () => useContext(PreferencesContext);
