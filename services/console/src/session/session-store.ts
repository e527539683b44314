import createClient from 'openapi-fetch';
import { answerNetworkFailures, problemOf, unanswered, type Problem } from '../api/problem';
import type { paths } from '../api/schema';

/**
 * The token endpoint's own client: without the session middleware of api/client.ts, which calls this
 * store; a request that gets no answer answers a made-up 503 here too (api/problem.ts).
 */
const oauth = createClient<paths>({ baseUrl: '' });
oauth.use(answerNetworkFailures);

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

/** A sign-in's outcome: signed in, or the problem the token endpoint answered (an empty one when it did not answer). */
export type SignInAnswer = { ok: true } | { ok: false; problem: Problem };

type TokenRequest =
  | { grant_type: 'password'; username: string; password: string; totp?: string; scope?: 'totp_enrolment' }
  | { grant_type: 'refresh_token'; refresh_token: string };

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

  /**
   * Signs in with the password grant, and `totp` (the 6-digit code of the user's authenticator app) when
   * the user has a second factor; answers the problem when refused: a 401 names its rule (invalid_grant,
   * totp_required, totp_enrolment_required: see enrolmentToken), a 429 the wait.
   */
  async signIn(username: string, password: string, totp?: string): Promise<SignInAnswer> {
    const { response: answer, error } = await this.tokenRequest({ grant_type: 'password', username, password, ...(totp ? { totp } : {}) });
    // Its status too when the body is no problem (a proxy's page); none when there was no answer at all (common.failed).
    if (!answer.ok) return { ok: false, problem: unanswered(answer) ? {} : { status: answer.status, ...problemOf(error) } };
    const tokens = (await answer.json()) as TokenAnswer;
    this.startSession();
    this.keep(tokens);
    return { ok: true };
  }

  /**
   * A token that only enrols the user's second factor (scope `totp_enrolment`: reads `/api/v1/me`, enrols
   * and confirms; no refresh token), for a user REQUIRE_TOTP_ROLES asks one of (totp_enrolment_required).
   * Answered to the caller, who keeps it in memory: it opens no session and goes into no storage.
   */
  async enrolmentToken(username: string, password: string): Promise<{ ok: true; token: string } | { ok: false; problem: Problem }> {
    const { response: answer, error } = await this.tokenRequest({ grant_type: 'password', username, password, scope: 'totp_enrolment' });
    if (!answer.ok) return { ok: false, problem: unanswered(answer) ? {} : { status: answer.status, ...problemOf(error) } };
    const tokens = (await answer.json().catch(() => null)) as TokenAnswer | null;
    return tokens ? { ok: true, token: tokens.access_token } : { ok: false, problem: {} };
  }

  /**
   * Signs out at once; the session ends on the server too (POST /oauth/revoke, RFC 7009), best effort: the
   * answer is not waited for, and a failure (offline, the service down) is dropped. The refresh token is
   * gone from this tab either way; the server's session would end by itself within REFRESH_TOKEN_HOURS.
   */
  signOut(): void {
    const refreshToken = this.refreshToken;
    this.startSession();
    this.token = null;
    this.expiresAt = 0;
    this.renewAt = 0;
    sessionStorage.removeItem(REFRESH_KEY);
    if (refreshToken) void oauth.POST('/oauth/revoke', { body: { token: refreshToken, token_type_hint: 'refresh_token' }, parseAs: 'stream' }).catch(() => undefined);
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
    const answer = (await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }).catch(() => null))?.response;
    if (generation !== this.generation) return null; // signed out (or in again) meanwhile: not this session's answer
    if (!answer) return null;
    if (!answer.ok) {
      // Only a refused grant ends the session; 429, a 5xx or no answer at all (a made-up 503) is the token
      // service's trouble or the network's, not the clerk's: the session is kept, the caller sees the failure.
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

  /** The answer, and the problem of a refusal (openapi-fetch has read a refusal's body already: it is in `error`). */
  private async tokenRequest(body: TokenRequest): Promise<{ response: Response; error?: unknown }> {
    const { response, error } = await oauth.POST('/oauth/token', { body, parseAs: 'stream' });
    return { response, error };
  }
}

export const session = new SessionStore();
