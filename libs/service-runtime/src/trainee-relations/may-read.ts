import type { Caller } from '@skills/contracts';

/** Who a read of a trainee is judged for: only who they are, not how they reached the platform. */
export type Reader = Pick<Caller, 'role' | 'organisationId' | 'traineeId'>;

/**
 * domain.md section 9: a trainee (in full, their archive and their ladder) may be read by the trainee
 * themself, by staff of a related organisation (one that registered, enrolled, employed or certified
 * them) and by the platform admin; by nobody else, who is answered as if the trainee did not exist.
 */
export function mayRead(caller: Reader, traineeId: string, relatedOrganisations: readonly string[]): boolean {
  switch (caller.role) {
    case 'platform_admin':
      return true;
    case 'trainee':
      return caller.traineeId === traineeId;
    default:
      return caller.organisationId !== null && relatedOrganisations.includes(caller.organisationId);
  }
}
