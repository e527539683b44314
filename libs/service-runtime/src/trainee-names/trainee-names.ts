import { Injectable } from '@nestjs/common';
import { INTERNAL_SECRET_HEADER, TraineeRegistryUnavailable } from '../trainee-ages/trainee-ages';

/** The path trainee-service answers the question on, for a service deployed without it (the name goes in the body, never a URL). */
export const nameMatchPath = (traineeId: string) => `/internal/v1/trainees/${encodeURIComponent(traineeId)}/name-match`;

export interface NameAnswerer {
  /** Whether `name` is the trainee's name as registered (or last corrected); false for an unknown, voided or erased trainee. */
  matches(traineeId: string, name: string): Promise<boolean>;
}

/**
 * Public verification by certificate number and holder's name (the national lookup asks both) needs the
 * holder's full name, which only trainee-service holds, sealed: other contexts know the masked name
 * (张**) alone. So they ask it, as for ages (TraineeAges): yes or no, and the name never leaves
 * trainee-service, not even hashed, so nothing is left to erase anywhere else and a correction counts at once.
 *
 * Where the trainee module runs in this process it registers its answerer here; a service deployed
 * alone asks TRAINEE_SERVICE_URL over HTTP with INTERNAL_API_SECRET. Unlike the age rule, "nobody to ask"
 * is no answer: it is the 503 an unreachable registry gives, never a "no" that would deny a real holder.
 */
@Injectable()
export class TraineeNames {
  private local?: NameAnswerer;

  register(answerer: NameAnswerer): void {
    this.local = answerer;
  }

  async matches(traineeId: string, name: string): Promise<boolean> {
    if (this.local) return this.local.matches(traineeId, name);
    const url = process.env.TRAINEE_SERVICE_URL;
    const secret = process.env.INTERNAL_API_SECRET;
    if (!url || !secret) throw new TraineeRegistryUnavailable();
    const answer = await fetch(new URL(nameMatchPath(traineeId), url), {
      method: 'POST',
      headers: { [INTERNAL_SECRET_HEADER]: secret, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ name }),
      signal: AbortSignal.timeout(5000),
    }).catch(() => undefined);
    if (!answer?.ok) throw new TraineeRegistryUnavailable();
    return ((await answer.json()) as { matches: boolean }).matches === true;
  }
}
