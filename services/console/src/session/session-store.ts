import createClient from 'openapi-fetch';
import type { paths } from '../api/schema';

/** The token endpoint's own client: without the session middleware of api/client.ts, which calls this store. */
const oauth = createClient<paths>({ baseUrl: '' });

/**
 * The signed-in session: the access token in memory, the refresh token in this tab's sessionStorage (so
 * a reload keeps the clerk signed in, and closing the tab ends it). Tokens come from `/oauth/token`
 * (api.md "Identity and access"); renewal uses the refresh-token grant, one at a time.
 */
interface TokenAnswer {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
}

const REFRESH_KEY = 'skills.refreshToken';
/** Renew this long before expiry, so a request never leaves with a token that dies on the way. */
const RENEW_MARGIN_MS = 15_000;

type Listener = (signedIn: boolean) => void;

class SessionStore {
  private token: string | null = null;
  private expiresAt = 0;
  private renewing: Promise<string | null> | null = null;
  private readonly listeners = new Set<Listener>();

  get signedIn(): boolean {
    return this.token !== null || this.refreshToken !== null;
  }

  private get refreshToken(): string | null {
    return sessionStorage.getItem(REFRESH_KEY);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  canRenew(): boolean {
    return this.refreshToken !== null;
  }

  /** Signs in; answers the problem's HTTP status when refused. */
  async signIn(username: string, password: string): Promise<{ ok: true } | { ok: false; status: number }> {
    const answer = await this.tokenRequest({ grant_type: 'password', username, password });
    if (!answer.ok) return { ok: false, status: answer.status };
    this.keep((await answer.json()) as TokenAnswer);
    return { ok: true };
  }

  signOut(): void {
    this.token = null;
    this.expiresAt = 0;
    sessionStorage.removeItem(REFRESH_KEY);
    this.listeners.forEach((listener) => listener(false));
  }

  /** A token valid for a while yet, renewed first when it is about to expire; null when signed out. */
  async accessToken(): Promise<string | null> {
    if (this.token && Date.now() < this.expiresAt - RENEW_MARGIN_MS) return this.token;
    return this.canRenew() ? this.renew() : this.token;
  }

  /** Renews with the refresh token; concurrent callers share one renewal. Signs out when refused. */
  renew(): Promise<string | null> {
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = null));
    return this.renewing;
  }

  private async renewOnce(): Promise<string | null> {
    const refreshToken = this.refreshToken;
    if (!refreshToken) return null;
    const answer = await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }).catch(() => null);
    if (!answer) return null; // offline: keep the session, the caller sees the failure
    if (!answer.ok) {
      this.signOut();
      return null;
    }
    this.keep((await answer.json()) as TokenAnswer);
    return this.token;
  }

  private keep(answer: TokenAnswer): void {
    const wasSignedIn = this.token !== null;
    this.token = answer.access_token;
    this.expiresAt = Date.now() + answer.expires_in * 1000;
    if (answer.refresh_token) sessionStorage.setItem(REFRESH_KEY, answer.refresh_token);
    if (!wasSignedIn) this.listeners.forEach((listener) => listener(true));
  }

  private async tokenRequest(body: { grant_type: 'password'; username: string; password: string } | { grant_type: 'refresh_token'; refresh_token: string }): Promise<Response> {
    return (await oauth.POST('/oauth/token', { body, parseAs: 'stream' })).response;
  }
}

export const session = new SessionStore();
