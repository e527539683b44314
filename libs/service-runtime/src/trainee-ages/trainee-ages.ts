import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { AgeOnDate } from '@skills/domain-kernel';
import { timingSafeEqual } from 'node:crypto';

/** The header that carries INTERNAL_API_SECRET on the one call between services (see TraineeAges). */
export const INTERNAL_SECRET_HEADER = 'x-internal-secret';

/**
 * Whether the INTERNAL_SECRET_HEADER a caller sent is INTERNAL_API_SECRET, compared in constant time so
 * the answer's timing tells nothing of the secret. Bytes, not characters, are compared: a header of the
 * right length in characters but not in bytes is simply another secret, never an error.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const sent = Buffer.from(given);
  const wanted = Buffer.from(expected);
  return sent.length === wanted.length && timingSafeEqual(sent, wanted);
}

/** The path trainee-service answers the question on, for a service deployed without it. */
export const ageOnDatePath = (traineeId: string, date: string) => `/internal/v1/trainees/${encodeURIComponent(traineeId)}/age-on/${encodeURIComponent(date)}`;

/**
 * The rule trainee-service names when it knows nothing of a trainee's age (erased; an older trainee-service
 * also for an unknown or voided one): the 404 that means "nothing known". Beside NOT_REGISTERED_RULE, any
 * other answer, a 404 without either included (TRAINEE_SERVICE_URL pointing at a host without the route, the
 * gateway say), is no answer at all.
 */
export const AGE_UNKNOWN_RULE = 'age_unknown';

/**
 * The rule trainee-service names when it holds no registration of the trainee (never registered, or
 * voided): a decision on them is refused as on an unknown trainee, even while the asking service's
 * replica still holds a registration voided a moment ago. An older trainee-service answers
 * AGE_UNKNOWN_RULE for them, read as before.
 */
export const NOT_REGISTERED_RULE = 'trainee_not_registered';

/** What trainee-service answers of a trainee it holds no registration of (NOT_REGISTERED_RULE over HTTP). */
export const NOT_REGISTERED = 'not_registered';

/** A trainee's age on a date; undefined when nothing is known of it (erased); NOT_REGISTERED for no such registration. */
export type AgeAnswer = AgeOnDate | typeof NOT_REGISTERED | undefined;

/** The rule of the 403 trainee-service answers a caller whose INTERNAL_SECRET_HEADER is not its INTERNAL_API_SECRET. */
export const INTERNAL_SECRET_RULE = 'internal_secret_mismatch';

export interface AgeAnswerer {
  /** undefined: their personal data was erased (nothing is known of their age); NOT_REGISTERED: no such trainee, or voided. */
  ageOn(traineeId: string, date: string): Promise<AgeAnswer>;
}

/** trainee-service could not be asked: nothing was decided, and the client may simply repeat. */
export class TraineeRegistryUnavailable extends HttpException {
  constructor() {
    super({ message: 'the trainee registry did not answer; nothing was recorded, repeat the request', rule: 'trainee_registry_unavailable', retryAfter: 5 }, HttpStatus.SERVICE_UNAVAILABLE);
  }
}

/**
 * A rule that depends on a person's age on a date (a certification before their birth) asks
 * trainee-service, which alone holds the birth date, sealed. It answers one of three words for that
 * date, so the birth date never leaves it and nothing of it is written to a topic kept forever.
 *
 * One question, two ways, like the token issuer (LocalIssuer / IDENTITY_SERVICE_URL): where the trainee
 * module runs in this process it registers its answerer here; a service deployed alone asks
 * TRAINEE_SERVICE_URL over HTTP with INTERNAL_API_SECRET. A host with neither (a test host of one
 * service) asks nobody, and the rule judges nothing.
 *
 * trainee-service's answer is the registration as it stands there, so it also tells a registration voided a
 * moment ago (NOT_REGISTERED), before the void reaches the asking service's replica.
 *
 * Over HTTP only trainee-service's 404 naming AGE_UNKNOWN_RULE means "nothing known", and one naming
 * NOT_REGISTERED_RULE "no such registration". Anything else (no
 * answer, a 403 for a secret that is not its own, INTERNAL_API_SECRET missing here, a 404 of a host that is
 * not trainee-service, a 5xx) is TraineeRegistryUnavailable, a 503 to repeat, as for names (TraineeNames):
 * read as "nothing known", a misconfigured secret would silently switch the age rules off.
 */
@Injectable()
export class TraineeAges {
  private local?: AgeAnswerer;

  register(answerer: AgeAnswerer): void {
    this.local = answerer;
  }

  async ageOn(traineeId: string, date: string): Promise<AgeAnswer> {
    if (this.local) return this.local.ageOn(traineeId, date);
    const url = process.env.TRAINEE_SERVICE_URL;
    if (!url) return undefined;
    const secret = process.env.INTERNAL_API_SECRET;
    if (!secret) throw new TraineeRegistryUnavailable();
    const answer = await fetch(new URL(ageOnDatePath(traineeId, date), url), { headers: { [INTERNAL_SECRET_HEADER]: secret, accept: 'application/json' }, signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    const body = (await answer?.json().catch(() => undefined)) as { age?: AgeOnDate; rule?: unknown } | undefined;
    if (answer?.status === 404 && body?.rule === AGE_UNKNOWN_RULE) return undefined;
    if (answer?.status === 404 && body?.rule === NOT_REGISTERED_RULE) return NOT_REGISTERED;
    if (answer?.status !== 200 || typeof body?.age !== 'string') throw new TraineeRegistryUnavailable();
    return body.age;
  }
}
