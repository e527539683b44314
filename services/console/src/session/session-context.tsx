import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, problemOf, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { clearDrafts } from './drafts';
import { session, type SignInAnswer } from './session-store';

export type Me = components['schemas']['MeAnswer'];

interface SessionState {
  /** undefined while the first `GET /api/v1/me` is on its way (or failed: `meProblem`); null when nobody is signed in. */
  me: Me | null | undefined;
  /** Why who is signed in is not known: `GET /api/v1/me` got no answer, or the server's trouble (5xx). */
  meProblem: Problem | null;
  /** Asks `GET /api/v1/me` again (after meProblem). */
  reloadMe(): void;
  signIn(username: string, password: string, totp?: string): Promise<SignInAnswer>;
  signOut(): void;
}

const SessionContext = createContext<SessionState>({
  me: null,
  meProblem: null,
  reloadMe: () => undefined,
  signIn: async () => ({ ok: false, problem: {} }),
  signOut: () => undefined,
});

/** Who is signed in, from `GET /api/v1/me`; the workspace shown follows their role. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(session.signedIn ? undefined : null);
  const [meProblem, setMeProblem] = useState<Problem | null>(null);

  const loadMe = useCallback(async () => {
    setMeProblem(null);
    if (!session.signedIn) return setMe(null);
    const { data, error, response } = await api.GET('/api/v1/me');
    // Refused (the session is over): nobody is signed in. No answer, too many requests or the server's
    // trouble: still signed in, but who is not known yet; the pages say so and offer to ask again, rather
    // than "Loading…" for ever.
    // A 401 with the session kept is a renewal that got no answer (a refused one signs out): not now either.
    const notNow = response.status >= 500 || response.status === 429 || (response.status === 401 && session.signedIn);
    if (data || !notNow || !session.signedIn) return setMe(data ?? null);
    setMe(undefined);
    setMeProblem(problemOf(error));
  }, []);

  useEffect(() => {
    void loadMe();
    return session.onChange(() => void loadMe());
  }, [loadMe]);

  const reloadMe = useCallback(() => void loadMe(), [loadMe]);
  const signIn = useCallback((username: string, password: string, totp?: string) => session.signIn(username, password, totp), []);
  // Signing out leaves nothing typed to the next user of this computer.
  const signOut = useCallback(() => {
    clearDrafts();
    session.signOut();
  }, []);
  return <SessionContext.Provider value={{ me, meProblem, reloadMe, signIn, signOut }}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);
