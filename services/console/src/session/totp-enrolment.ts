import createClient from 'openapi-fetch';
import { answerNetworkFailures, problemOf, unanswered, type Problem } from '../api/problem';
import type { paths } from '../api/schema';
import { session } from './session-store';

/** The second factor to add to an authenticator app: answered this once by the service. */
export interface EnrolledSecret {
  /** Base32, for a user who types it into the app. */
  secret: string;
  /** What the QR code holds: the app adds the account by scanning it. */
  otpauthUri: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/** The problem of a refusal, or an empty one (said as a failure) when there was no answer at all. */
const refusal = (response: Response, error: unknown): { ok: false; problem: Problem } => ({
  ok: false,
  problem: unanswered(response) ? {} : { status: response.status, ...problemOf(error) },
});

/**
 * Setting up the second factor a user's role asks of them before they may sign in (401
 * totp_enrolment_required): the password grant with scope `totp_enrolment` answers a token that only
 * reads who the user is, enrols and confirms. That token lives in this object, in memory (never in
 * storage, never in the session: the user is not signed in by it), and with it the username and password
 * the user typed a moment ago, to ask a fresh one when it expires before they confirm.
 */
export class TotpEnrolment {
  private token: string | null = null;
  private userId: string | null = null;
  private readonly client = createClient<paths>({ baseUrl: '' });

  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {
    this.client.use(
      {
        onRequest: ({ request }) => {
          if (this.token) request.headers.set('Authorization', `Bearer ${this.token}`);
          return request;
        },
      },
      answerNetworkFailures,
    );
  }

  /** Asks the enrolment token, reads the user's id, and enrols: the secret to show, this once. */
  async start(): Promise<Outcome<EnrolledSecret>> {
    const renewed = await this.renewToken();
    if (!renewed.ok) return renewed;
    const me = await this.client.GET('/api/v1/me');
    if (!me.data) return refusal(me.response, me.error);
    this.userId = me.data.userId;
    const enrolled = await this.client.POST('/api/v1/users/{id}/totp', { params: { path: { id: this.userId } } });
    if (!enrolled.data) return refusal(enrolled.response, enrolled.error);
    return { ok: true, value: enrolled.data };
  }

  /** Confirms with a code the app shows; the token expired meanwhile (401), once more with a fresh one. */
  async confirm(code: string): Promise<Outcome<null>> {
    if (!this.userId) return { ok: false, problem: {} };
    const send = () => this.client.POST('/api/v1/users/{id}/totp/confirm', { params: { path: { id: this.userId as string } }, body: { code } });
    let answer = await send();
    if (answer.response.status === 401) {
      const renewed = await this.renewToken();
      if (!renewed.ok) return renewed;
      answer = await send();
    }
    if (!answer.data) return refusal(answer.response, answer.error);
    return { ok: true, value: null };
  }

  /** Forgets the token: the enrolment is over (confirmed, or left). */
  end(): void {
    this.token = null;
  }

  private async renewToken(): Promise<Outcome<null>> {
    const answer = await session.enrolmentToken(this.username, this.password);
    if (!answer.ok) return answer;
    this.token = answer.token;
    return { ok: true, value: null };
  }
}
