import type { components } from '../../api/schema';

type Certification = components['schemas']['BrandCertificationEntry'];
type Tier = Certification['tier'];

/** The tiers from the lowest: a provincial certification is decided on a standing city one, a national on a provincial one (domain.md section 5). */
const TIERS: readonly Tier[] = ['city', 'provincial', 'national'];

/**
 * The highest tier whose certification stood on `asOf` (decided by then, not revoked by then: one revoked
 * since stood that day, as the server judges it), or null: a brand that was certified then, whatever its figures say.
 */
export function tierStandingOn(certifications: Certification[], asOf: string): Tier | null {
  const standsOn = (certification: Certification) => certification.decidedOn <= asOf && (!certification.revokedOn || certification.revokedOn > asOf);
  const standing = certifications.filter(standsOn).map((certification) => TIERS.indexOf(certification.tier));
  return standing.length ? TIERS[Math.max(...standing)] : null;
}

/** The standing certification of the tier just above `tier`, which was decided on it and outlives its revocation, or undefined. */
export const standingAbove = (certifications: Certification[], tier: Tier): Certification | undefined =>
  certifications.find((certification) => certification.status === 'standing' && TIERS.indexOf(certification.tier) === TIERS.indexOf(tier) + 1);
