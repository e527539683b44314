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
/**
 * Renew this long before expiry, so a request never leaves with a token that dies on the way; at most
 * half the token's lifetime, or a short-lived token (a few seconds) would be renewed before every request.
 */
const RENEW_MARGIN_MS = 15_000;
/** The answers to a refresh-token grant that mean the grant itself is refused (invalid_grant): the session is over. */
const SESSION_OVER = new Set([400, 401]);

type Listener = (signedIn: boolean) => void;

class SessionStore {
  private token: string | null = null;
  private expiresAt = 0;
  /** When to renew: before expiresAt by RENEW_MARGIN_MS, or by half the lifetime when that is shorter. */
  private renewAt = 0;
  private renewing: Promise<string | null> | null = null;
  /**
   * Which session an answer belongs to: signing in or out starts another one, and a renewal that was on
   * its way then is dropped when it lands (else it would bring back the session just ended).
   */
  private generation = 0;
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
    const tokens = (await answer.json()) as TokenAnswer;
    this.startSession();
    this.keep(tokens);
    return { ok: true };
  }

  signOut(): void {
    this.startSession();
    this.token = null;
    this.expiresAt = 0;
    this.renewAt = 0;
    sessionStorage.removeItem(REFRESH_KEY);
    this.listeners.forEach((listener) => listener(false));
  }

  /** A token valid for a while yet, renewed first when it is about to expire; null when signed out. */
  async accessToken(): Promise<string | null> {
    if (this.token && Date.now() < this.renewAt) return this.token;
    if (!this.canRenew()) return this.token;
    // A renewal that failed for a while (the token service busy or unreachable) leaves the token it had, while it lasts.
    return (await this.renew()) ?? this.unexpiredToken();
  }

  /** Renews with the refresh token; concurrent callers share one renewal. Signs out when the grant is refused. */
  renew(): Promise<string | null> {
    if (this.renewing) return this.renewing;
    const renewing = this.renewOnce(this.generation).finally(() => {
      if (this.renewing === renewing) this.renewing = null;
    });
    this.renewing = renewing;
    return renewing;
  }

  private async renewOnce(generation: number): Promise<string | null> {
    const refreshToken = this.refreshToken;
    if (!refreshToken) return null;
    const answer = await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }).catch(() => null);
    if (generation !== this.generation) return null; // signed out (or in again) meanwhile: not this session's answer
    if (!answer) return null; // offline: keep the session, the caller sees the failure
    if (!answer.ok) {
      // Only a refused grant ends the session; 429 or a 5xx is the token service's trouble, not the clerk's.
      if (SESSION_OVER.has(answer.status)) this.signOut();
      return null;
    }
    const tokens = (await answer.json().catch(() => null)) as TokenAnswer | null;
    if (generation !== this.generation || !tokens) return null;
    this.keep(tokens);
    return this.token;
  }

  private unexpiredToken(): string | null {
    return this.token && Date.now() < this.expiresAt ? this.token : null;
  }

  /** Drops whatever renewal is on its way: its answer belongs to the session before. */
  private startSession(): void {
    this.generation += 1;
    this.renewing = null;
  }

  private keep(answer: TokenAnswer): void {
    const wasSignedIn = this.token !== null;
    const lifetimeMs = answer.expires_in * 1000;
    this.token = answer.access_token;
    this.expiresAt = Date.now() + lifetimeMs;
    this.renewAt = this.expiresAt - Math.min(RENEW_MARGIN_MS, lifetimeMs / 2);
    if (answer.refresh_token) sessionStorage.setItem(REFRESH_KEY, answer.refresh_token);
    if (!wasSignedIn) this.listeners.forEach((listener) => listener(true));
  }

  private async tokenRequest(body: { grant_type: 'password'; username: string; password: string } | { grant_type: 'refresh_token'; refresh_token: string }): Promise<Response> {
    return (await oauth.POST('/oauth/token', { body, parseAs: 'stream' })).response;
  }
}

export const session = new SessionStore();
