import { assertNever, DomainRefusal } from '@skills/domain-kernel';
import { Qualification, QualificationPolicy } from '../qualification/policy';

export const BRAND_TIERS = ['city', 'provincial', 'national'] as const;
export type BrandTier = (typeof BRAND_TIERS)[number];

// ---- events ---------------------------------------------------------------------------------

export interface BrandRegistered {
  type: 'BrandRegistered';
  data: {
    brandId: string;
    bureauId: string;
    name: string;
    regionCode: string;
    tier: BrandTier;
    industryCode: string;
    occupationCodes: string[];
    buildingUnits: string[];
    policy: QualificationPolicy;
    registeredOn: string;
  };
}

/** Keeps the figures it was decided on and how far the facts had reached (`basedOnFactSequence`). */
export interface BrandCertified {
  type: 'BrandCertified';
  data: { brandId: string; tier: BrandTier; decidedOn: string; figures: Qualification; basedOnFactSequence: number };
}

export interface BrandCertificationRevoked {
  type: 'BrandCertificationRevoked';
  data: { brandId: string; tier: BrandTier; reason: string; revokedOn: string };
}

export type BrandEvent = BrandRegistered | BrandCertified | BrandCertificationRevoked;

// ---- commands -------------------------------------------------------------------------------

export interface RegisterBrand {
  type: 'RegisterBrand';
  brand: BrandRegistered['data'];
}

/** `qualification` is the brand's qualification as of `decidedOn`, computed from the facts. */
export interface CertifyBrand {
  type: 'CertifyBrand';
  tier: BrandTier;
  decidedOn: string;
  qualification: Qualification;
  basedOnFactSequence: number;
}

export interface RevokeBrandCertification {
  type: 'RevokeBrandCertification';
  tier: BrandTier;
  reason: string;
  revokedOn: string;
}

export type BrandCommand = RegisterBrand | CertifyBrand | RevokeBrandCertification;

// ---- state ----------------------------------------------------------------------------------

export interface RegisteredBrand {
  status: 'registered';
  brand: BrandRegistered['data'];
  /** Standing certifications by tier. */
  standing: Set<BrandTier>;
}

export type Brand = { status: 'unknown' } | RegisteredBrand;

export const brandStreamId = (brandId: string) => `brand-${brandId}`;

/** Each tier stands on the one below it: a provincial brand was a city brand first. */
const TIER_BELOW: Record<BrandTier, BrandTier | undefined> = { city: undefined, provincial: 'city', national: 'provincial' };

export const brandAggregate = {
  initialState: (): Brand => ({ status: 'unknown' }),

  evolve(state: Brand, event: BrandEvent): Brand {
    switch (event.type) {
      case 'BrandRegistered':
        return { status: 'registered', brand: event.data, standing: new Set() };
      case 'BrandCertified': {
        const brand = registered(state);
        return { ...brand, standing: new Set(brand.standing).add(event.data.tier) };
      }
      case 'BrandCertificationRevoked': {
        const brand = registered(state);
        const standing = new Set(brand.standing);
        standing.delete(event.data.tier);
        return { ...brand, standing };
      }
      default:
        return assertNever(event);
    }
  },

  decide(command: BrandCommand, state: Brand): BrandEvent[] {
    switch (command.type) {
      case 'RegisterBrand':
        if (state.status !== 'unknown') throw new DomainRefusal('brand_already_registered', 'the brand exists');
        if (command.brand.policy.windowStart > command.brand.policy.windowEnd) {
          throw new DomainRefusal('policy_window_inverted', 'the policy window ends before it starts', { windowStart: command.brand.policy.windowStart, windowEnd: command.brand.policy.windowEnd });
        }
        return [{ type: 'BrandRegistered', data: command.brand }];
      case 'CertifyBrand': {
        const brand = registered(state);
        const { tier, qualification } = command;
        if (brand.standing.has(tier)) throw new DomainRefusal('tier_already_certified', `the brand already holds a standing ${tier} certification`, { tier });
        const below = TIER_BELOW[tier];
        if (below && !brand.standing.has(below)) {
          throw new DomainRefusal(`requires_${below}_certification`, `a ${tier} certification needs a standing ${below} certification`, { tier, requires: below });
        }
        if (!qualification.qualifies) {
          throw new DomainRefusal('brand_does_not_qualify', `as of ${command.decidedOn} the brand meets ${qualification.unmet.length === 1 ? 'all but one criterion' : 'not every criterion'}`, {
            tier,
            asOf: command.decidedOn,
            unmet: qualification.unmet,
          });
        }
        return [{ type: 'BrandCertified', data: { brandId: brand.brand.brandId, tier, decidedOn: command.decidedOn, figures: qualification, basedOnFactSequence: command.basedOnFactSequence } }];
      }
      case 'RevokeBrandCertification': {
        const brand = registered(state);
        if (!brand.standing.has(command.tier)) throw new DomainRefusal('tier_not_certified', `the brand holds no standing ${command.tier} certification`, { tier: command.tier });
        return [{ type: 'BrandCertificationRevoked', data: { brandId: brand.brand.brandId, tier: command.tier, reason: command.reason, revokedOn: command.revokedOn } }];
      }
      default:
        return assertNever(command);
    }
  },
};

function registered(state: Brand): RegisteredBrand {
  if (state.status !== 'registered') throw new DomainRefusal('brand_not_registered', 'the brand does not exist');
  return state;
}
