import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import type { components } from '../api/schema';
import { session } from './session-store';

export type Me = components['schemas']['MeAnswer'];

interface SessionState {
  /** undefined while the first `GET /api/v1/me` is on its way; null when nobody is signed in. */
  me: Me | null | undefined;
  signIn(username: string, password: string): Promise<{ ok: true } | { ok: false; status: number }>;
  signOut(): void;
}

const SessionContext = createContext<SessionState>({ me: null, signIn: async () => ({ ok: false, status: 0 }), signOut: () => undefined });

/** Who is signed in, from `GET /api/v1/me`; the workspace shown follows their role. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(session.signedIn ? undefined : null);

  const loadMe = useCallback(async () => {
    if (!session.signedIn) return setMe(null);
    const { data } = await api.GET('/api/v1/me');
    setMe(data ?? null);
  }, []);

  useEffect(() => {
    void loadMe();
    return session.onChange(() => void loadMe());
  }, [loadMe]);

  const signIn = useCallback((username: string, password: string) => session.signIn(username, password), []);
  const signOut = useCallback(() => session.signOut(), []);
  return <SessionContext.Provider value={{ me, signIn, signOut }}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);
