import { Actor, FactsPosition } from '@skills/contracts';
import { assertNever, businessDateOf, DomainRefusal, existing, FieldRefusal, NotPermitted, refuseFutureDate, regionContains } from '@skills/domain-kernel';
import { bureauLevel } from '../bureaus/bureau.aggregate';
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

/**
 * Keeps the figures it was decided on, the highest fact number it saw (`basedOnFactSequence`, for
 * information: see BrandFigures.lastFactSequence) and what it waited for (`basedOnFacts`).
 */
export interface BrandCertified {
  type: 'BrandCertified';
  data: { brandId: string; tier: BrandTier; decidedOn: string; figures: Qualification; basedOnFactSequence: number; basedOnFacts?: FactsPosition };
}

export interface BrandCertificationRevoked {
  type: 'BrandCertificationRevoked';
  data: { brandId: string; tier: BrandTier; reason: string; revokedOn: string };
}

/** What a correction may change: the brand's name, its occupations, building units, industry and policy. */
export const CORRECTABLE_BRAND_FIELDS = ['name', 'occupationCodes', 'buildingUnits', 'industryCode', 'policy'] as const;
export type CorrectableBrandField = (typeof CORRECTABLE_BRAND_FIELDS)[number];
export type CorrectableBrandFacts = Partial<Pick<BrandRegistered['data'], CorrectableBrandField>>;

/**
 * A brand registered with a mistake (a mistyped name, a building unit left out, a wrong occupation or
 * policy), corrected by a bureau that may register it: `before` and `after` hold the changed fields only.
 * Certifications already decided keep the figures they were decided on (records of a decision); reads
 * from now on use the corrected values. `reason` stays in this log (brand messages are not published).
 */
export interface BrandCorrected {
  type: 'BrandCorrected';
  data: { brandId: string; before: CorrectableBrandFacts; after: CorrectableBrandFacts; reason: string; correctedOn: string };
}

export type BrandEvent = BrandRegistered | BrandCertified | BrandCertificationRevoked | BrandCorrected;

// ---- commands -------------------------------------------------------------------------------

/**
 * Who sends a brand command: the caller, and the region code of the bureau they act for (their
 * organisation's bureau stream), or null when their organisation is no registered bureau.
 */
export interface BrandActor extends Actor {
  bureauRegion: string | null;
}

/**
 * A new stream (mustNotExist): `registeredOn` is the day it is recorded. `buildingUnitsAsSent`: the credit
 * codes as the body listed them (a refusal names `buildingUnits.<index>` by that order, as the validation pipe names an array item); `buildingUnitRegions`:
 * the region of each that is a provider or employer the platform holds, by upper-case code (none: unknown).
 */
export interface RegisterBrand {
  type: 'RegisterBrand';
  brand: Omit<BrandRegistered['data'], 'registeredOn'>;
  buildingUnitsAsSent: string[];
  buildingUnitRegions: Record<string, string>;
  by: BrandActor;
}

/**
 * `qualification` is the brand's qualification as of `decidedOn`, computed from the facts inside the
 * command's transaction (see CertifyBrandHandler). `decidedOn` may not lie after today.
 */
export interface CertifyBrand {
  type: 'CertifyBrand';
  tier: BrandTier;
  decidedOn: string;
  qualification: Qualification;
  basedOnFactSequence: number;
  /** What the catch-up barrier waited for (CatchUp): training's and placement's facts up to here. */
  basedOnFacts?: FactsPosition;
  by: BrandActor;
}

/** `revokedOn` defaults to today; not in the future. */
export interface RevokeBrandCertification {
  type: 'RevokeBrandCertification';
  tier: BrandTier;
  reason: string;
  revokedOn?: string;
  by: BrandActor;
}

/**
 * A brand registered with a mistake corrected (the permission registering uses, `brands:register`): the
 * fields given replace the recorded ones, judged as registration judges them. `buildingUnitsAsSent` and
 * `buildingUnitRegions` as RegisterBrand's, for the building units given. Fields given as they stand
 * change nothing; none changed, nothing is recorded (a retried correction). The bureau, region and tier
 * are not corrected: a brand of another tier is another brand.
 */
export interface CorrectBrand {
  type: 'CorrectBrand';
  correction: CorrectableBrandFacts;
  buildingUnitsAsSent: string[];
  buildingUnitRegions: Record<string, string>;
  reason: string;
  by: BrandActor;
}

export type BrandCommand = RegisterBrand | CertifyBrand | RevokeBrandCertification | CorrectBrand;

// ---- state ----------------------------------------------------------------------------------

/**
 * One certification decision of a tier: it stands from `decidedOn` up to the day before `revokedOn`
 * (a certification revoked on a day no longer stands on that day).
 */
export interface CertificationSpan {
  tier: BrandTier;
  decidedOn: string;
  revokedOn?: string;
}

export interface RegisteredBrand {
  status: 'registered';
  brand: BrandRegistered['data'];
  /**
   * Every certification decision in the order recorded, revoked ones included: the tier rules are
   * judged on the day a decision names, not on what stands today.
   */
  certifications: CertificationSpan[];
}

export type Brand = { status: 'unknown' } | RegisteredBrand;

export const brandStreamId = (brandId: string) => `brand-${brandId}`;

export const brandAggregate = {
  initialState: (): Brand => ({ status: 'unknown' }),

  evolve(state: Brand, event: BrandEvent): Brand {
    switch (event.type) {
      case 'BrandRegistered':
        return { status: 'registered', brand: event.data, certifications: [] };
      case 'BrandCertified': {
        const brand = existing(state, 'brand');
        const { tier, decidedOn } = event.data;
        return { ...brand, certifications: [...brand.certifications, { tier, decidedOn }] };
      }
      case 'BrandCertificationRevoked': {
        // A revocation ends the tier's one unrevoked certification (`certify` never lets two of a tier overlap).
        const brand = existing(state, 'brand');
        const { tier, revokedOn } = event.data;
        return {
          ...brand,
          certifications: brand.certifications.map((certification) => (certification.tier === tier && certification.revokedOn === undefined ? { ...certification, revokedOn } : certification)),
        };
      }
      case 'BrandCorrected': {
        const brand = existing(state, 'brand');
        return { ...brand, brand: { ...brand.brand, ...event.data.after } };
      }
      default:
        return assertNever(event);
    }
  },

  /**
   * Registration is sent with mustNotExist, certification, revocation and correction with mustExist. Each first
   * checks the caller's bureau against the brand and the tier (domain.md section 9; no platform_admin here).
   */
  decide(command: BrandCommand, state: Brand, now: Date): BrandEvent[] {
    switch (command.type) {
      case 'RegisterBrand':
        refuseRegistrationWhateverTheUnits(command.brand, command.by);
        refuseBuildingUnits(command.brand.regionCode, command);
        return [register(command, now)];
      case 'CertifyBrand':
        return [certify(existing(state, 'brand'), command, now)];
      case 'RevokeBrandCertification': {
        const brand = existing(state, 'brand');
        mayActFor(command.by, brand.brand.regionCode, 'brands:revoke', command.tier);
        return [revoke(brand, command, now)];
      }
      case 'CorrectBrand': {
        const brand = existing(state, 'brand');
        refuseCorrectionWhateverTheUnits(brand, command.by);
        return correct(brand, command, now);
      }
      default:
        return assertNever(command);
    }
  },
};

/**
 * `bureau_officer` of a bureau whose region contains the brand's region and, to register a brand of a
 * tier or to certify or revoke one, only the tier of its level: a city bureau `city`, a provincial one
 * `provincial`, the ministry `national` (a county bureau none).
 */
function mayActFor(by: BrandActor, brandRegion: string, permission: string, tier?: BrandTier): void {
  const { bureauRegion } = by;
  if (bureauRegion === null) throw new NotPermitted(permission, `user ${by.userId ?? '(none)'} acts for no registered bureau`);
  if (!regionContains(bureauRegion, brandRegion)) throw new NotPermitted(permission, `the bureau of region ${bureauRegion} does not contain the brand's region ${brandRegion}`);
  if (tier === undefined) return;
  const level = bureauLevel(bureauRegion);
  if (level !== tier) {
    throw new NotPermitted(permission, level === 'county' ? `a county bureau (${bureauRegion}) decides no tier` : `a ${level} bureau (${bureauRegion}) decides the ${level} tier only, not ${tier}`);
  }
}

/**
 * Who reads a brand or its qualification: the caller as for a brand command, and the credit code of the
 * provider or employer they act for (null when unknown or none), which may be one of its building units.
 */
export interface BrandReader extends BrandActor {
  creditCode: string | null;
}

/**
 * domain.md section 9, "read a brand and its qualification": `platform_admin`; a `bureau_officer` of a
 * bureau whose region contains the brand's (the rule of the commands, without a tier); school and
 * employer staff of one of its building units. A brand is no trainee data: a refusal is a 403.
 */
export function refuseBrandReader(brand: BrandRegistered['data'], by: BrandReader, permission: string): void {
  switch (by.role) {
    case 'platform_admin':
      return;
    case 'bureau_officer':
      return mayActFor(by, brand.regionCode, permission);
    case 'school_staff':
    case 'employer_staff':
      if (by.creditCode !== null && brand.buildingUnits.includes(by.creditCode)) return;
      throw new NotPermitted(permission, `organisation ${by.organisationId ?? '(none)'} is none of the brand's building units`);
    default:
      throw new NotPermitted(permission, `a ${by.role ?? 'caller without a role'} reads no brand`);
  }
}

/** What a registration names, before its building units are looked up. */
export type BrandToRegister = Pick<RegisterBrand['brand'], 'bureauId' | 'regionCode' | 'tier' | 'policy'>;

/**
 * Every rule of a registration but its building units: who may register, a region above a city's, the
 * policy's window. The handler judges them before it looks the units up in the organisation replica, so
 * a registration refused whatever the units is never kept waiting for them (nor answered 503).
 * A bureau whose region contains the brand's may register it, in the name of the brand's own bureau
 * (domain.md section 9: a province's officer for a city of the province, at the city tier).
 */
export function refuseRegistrationWhateverTheUnits(brand: BrandToRegister, by: BrandActor): void {
  mayActFor(by, brand.regionCode, 'brands:register', brand.tier);
  refuseRegionAboveCity(brand);
  const { windowStart, windowEnd } = brand.policy;
  if (windowStart > windowEnd) {
    throw new FieldRefusal('policy.windowEnd', 'policy_window_inverted', 'policy.windowEnd must not be before policy.windowStart', { windowStart, windowEnd });
  }
}

/**
 * Every building unit is a provider or employer the platform holds (domain.md section 5: 建设单位 are the
 * providers and employers that build it), inside the registering bureau's region: a unit elsewhere would
 * put another region's trainees in the brand's figures, which its bureau may not read (section 9).
 */
function refuseBuildingUnits(regionCode: string, command: Pick<RegisterBrand, 'buildingUnitsAsSent' | 'buildingUnitRegions'>): void {
  command.buildingUnitsAsSent.forEach((sent, i) => {
    const creditCode = sent.toUpperCase();
    const unitRegion = command.buildingUnitRegions[creditCode];
    if (unitRegion === undefined) refuse('building_unit_unknown', i, `${creditCode} is no training provider or employer registered on the platform`, { creditCode });
    if (!regionContains(regionCode, unitRegion)) {
      refuse('building_unit_outside_region', i, `${creditCode} is of region ${unitRegion}, outside the bureau's region ${regionCode}`, { creditCode, unitRegionCode: unitRegion, bureauRegionCode: regionCode });
    }
  });
}

/**
 * Who may correct a brand: whoever may register it (domain.md section 9), judged on the brand as recorded,
 * before its building units are looked up (the handler judges it on the brand as read, then in the command).
 */
export function refuseCorrectionWhateverTheUnits(brand: RegisteredBrand, by: BrandActor): void {
  mayActFor(by, brand.brand.regionCode, 'brands:register', brand.brand.tier);
}

/** Arrays compared as sets (their order means nothing to a brand), the policy field by field, the rest as values. */
function sameValue(field: CorrectableBrandField, recorded: CorrectableBrandFacts, given: CorrectableBrandFacts): boolean {
  switch (field) {
    case 'occupationCodes':
    case 'buildingUnits': {
      const [a, b] = [new Set(recorded[field]), new Set(given[field])];
      return a.size === b.size && [...a].every((code) => b.has(code));
    }
    case 'policy': {
      const [a, b] = [recorded.policy!, given.policy!];
      const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof QualificationPolicy)[]);
      return [...keys].every((key) => a[key] === b[key]);
    }
    default:
      return recorded[field] === given[field];
  }
}

/**
 * The fields given that differ from the brand's, judged as registration judges them: the policy's window,
 * each building unit a provider or employer inside the brand's region. None differ: nothing to record.
 * The name's uniqueness in the region is the handler's claim, as at registration.
 */
function correct(registered: RegisteredBrand, command: CorrectBrand, now: Date): BrandCorrected[] {
  const { brand } = registered;
  const { correction, reason } = command;
  const changed = CORRECTABLE_BRAND_FIELDS.filter((field) => correction[field] !== undefined && !sameValue(field, brand, correction));
  if (changed.length === 0) return [];
  // A certification of a higher tier is another bureau's decision on the brand as it stood: while one stands, the
  // brand is not rewritten beneath it (that bureau revokes it first, or the brand stays as certified).
  const today = businessDateOf(now);
  const above = registered.certifications.find(({ tier, revokedOn }) => tier !== brand.tier && (revokedOn === undefined || revokedOn > today));
  if (above !== undefined) {
    throw new DomainRefusal('brand_certified_above_tier', `the brand's ${above.tier} certification, decided on ${above.decidedOn}, stands: a correction waits until that bureau revokes it`, { tier: above.tier, decidedOn: above.decidedOn });
  }
  const before: CorrectableBrandFacts = Object.fromEntries(changed.map((field) => [field, brand[field]]));
  const after: CorrectableBrandFacts = Object.fromEntries(changed.map((field) => [field, correction[field]]));
  if (after.policy !== undefined) {
    const { windowStart, windowEnd } = after.policy;
    if (windowStart > windowEnd) throw new FieldRefusal('policy.windowEnd', 'policy_window_inverted', 'policy.windowEnd must not be before policy.windowStart', { windowStart, windowEnd });
  }
  if (after.buildingUnits !== undefined) refuseBuildingUnits(brand.regionCode, command);
  return [{ type: 'BrandCorrected', data: { brandId: brand.brandId, before, after, reason, correctedOn: today } }];
}

/** A refusal of the `i`th building unit as the body listed it, named `buildingUnits.<index>` (a 400). */
function refuse(rule: string, i: number, detail: string, context: Record<string, unknown>): never {
  throw new FieldRefusal(`buildingUnits.${i}`, rule, `buildingUnits.${i} ${detail}`, context);
}

/**
 * A brand's region is its bureau's. Every tier stands on a city certification (domain.md section 5), which
 * only a city bureau whose region contains the brand's may decide (section 9): no city's region contains a
 * province's code or the nation's, so a brand of one could never be certified at all. Judged after the
 * caller's permission, like the rules of the other commands.
 */
function refuseRegionAboveCity(brand: BrandToRegister): void {
  const { bureauId, regionCode } = brand;
  const level = bureauLevel(regionCode);
  if (level === 'provincial' || level === 'national') {
    throw new DomainRefusal(
      'brand_region_above_city',
      `the brand's region ${regionCode} (its bureau's) is ${level === 'national' ? "the nation's" : "a province's"}: no city bureau's region contains it, so it could never be certified at the city tier every other tier stands on; a city bureau registers brands`,
      { bureauId, regionCode, level },
    );
  }
}

function register(command: RegisterBrand, now: Date): BrandRegistered {
  return { type: 'BrandRegistered', data: { ...command.brand, registeredOn: businessDateOf(now) } };
}

/** Whether the certification stands on `date`: decided on or before it, and not revoked on or before it. */
export function standsOn(certification: CertificationSpan, date: string): boolean {
  return certification.decidedOn <= date && (certification.revokedOn === undefined || certification.revokedOn > date);
}

/** The brand's certification of `tier` standing on `date`, if any (at most one: they never overlap). */
export function standingOn(brand: RegisteredBrand, tier: BrandTier, date: string): CertificationSpan | undefined {
  return brand.certifications.find((certification) => certification.tier === tier && standsOn(certification, date));
}

/** What a certification asks for before its figures are read: the tier, the decision date, who decides. */
export type CertificationRequest = Pick<CertifyBrand, 'tier' | 'decidedOn' | 'by'>;

/**
 * Every rule of a certification but whether the figures qualify: who may decide, the date, the tier
 * rules. `certify` judges them first; the handler judges them on the brand as read before it waits for
 * the facts the figures are counted from, so a request refused whatever the facts is never answered
 * "not caught up". Every rule is judged as of `decidedOn`, so a decision dated before later ones gets the
 * answer the facts of its own date give (domain.md section 5).
 */
export function refuseCertificationWhateverTheFigures(brand: RegisteredBrand, request: CertificationRequest, now: Date): void {
  const { tier, decidedOn } = request;
  mayActFor(request.by, brand.brand.regionCode, 'brands:certify', tier);
  refuseFutureDate('decidedOn', decidedOn, now);
  const standing = standingOn(brand, tier, decidedOn);
  if (standing) {
    throw new DomainRefusal('tier_already_certified', `on ${decidedOn} the brand already holds the ${tier} certification decided on ${standing.decidedOn}`, {
      tier,
      asOf: decidedOn,
      standingSince: standing.decidedOn,
    });
  }
  // A new certification stands until revoked, so it would overlap any later one of its tier, revoked or not.
  const later = brand.certifications.find((certification) => certification.tier === tier && certification.decidedOn > decidedOn);
  if (later) {
    throw new DomainRefusal('tier_already_certified', `a ${tier} certification decided on ${later.decidedOn} is recorded: one decided on ${decidedOn} would still stand then`, {
      tier,
      asOf: decidedOn,
      laterDecidedOn: later.decidedOn,
    });
  }
  // Each tier stands on the one below it on the decision date: a provincial brand was a city brand then.
  if (tier === 'provincial' && !standingOn(brand, 'city', decidedOn)) {
    throw new DomainRefusal('requires_city_certification', `a provincial certification needs a city certification standing on its decision date ${decidedOn}`, {
      tier,
      requires: 'city',
      asOf: decidedOn,
    });
  }
  if (tier === 'national' && !standingOn(brand, 'provincial', decidedOn)) {
    throw new DomainRefusal('requires_provincial_certification', `a national certification needs a provincial certification standing on its decision date ${decidedOn}`, {
      tier,
      requires: 'provincial',
      asOf: decidedOn,
    });
  }
}

/** The rules that need no figures, then the figures of `decidedOn`, computed in the command's transaction. */
function certify(brand: RegisteredBrand, command: CertifyBrand, now: Date): BrandCertified {
  refuseCertificationWhateverTheFigures(brand, command, now);
  const { tier, decidedOn, qualification } = command;
  if (!qualification.qualifies) {
    throw new DomainRefusal('brand_does_not_qualify', `as of ${decidedOn} the brand meets ${qualification.unmet.length === 1 ? 'all but one criterion' : 'not every criterion'}`, {
      tier,
      asOf: decidedOn,
      unmet: qualification.unmet,
    });
  }
  return { type: 'BrandCertified', data: { brandId: brand.brand.brandId, tier, decidedOn, figures: qualification, basedOnFactSequence: command.basedOnFactSequence, ...(command.basedOnFacts ? { basedOnFacts: command.basedOnFacts } : {}) } };
}

/** The tier whose certification stands on this one's (domain.md section 5): provincial on city, national on provincial. */
const HIGHER_TIER: Record<BrandTier, BrandTier | undefined> = { city: 'provincial', provincial: 'national', national: undefined };

/**
 * Ends the tier's unrevoked certification as of `revokedOn`; the decision stays in the brand's history.
 * The certification must stand on `revokedOn`: one cannot be revoked before it was decided. Nor may it end
 * on or before the decision date of a certification of the tier above that stood on it (revoked since or
 * not): that one would have stood with no certification below it on its own date (what `certify`
 * refuses): the revocation is dated after that decision.
 */
function revoke(brand: RegisteredBrand, command: RevokeBrandCertification, now: Date): BrandCertificationRevoked {
  const { tier } = command;
  const revokedOn = command.revokedOn ?? businessDateOf(now);
  refuseFutureDate('revokedOn', revokedOn, now);
  const unrevoked = brand.certifications.find((certification) => certification.tier === tier && certification.revokedOn === undefined);
  if (!unrevoked) throw new DomainRefusal('tier_not_certified', `the brand holds no standing ${tier} certification`, { tier, revokedOn });
  if (!standsOn(unrevoked, revokedOn)) {
    throw new DomainRefusal('revoked_before_certification', `revokedOn ${revokedOn} is before the ${tier} certification was decided on ${unrevoked.decidedOn}`, {
      tier,
      revokedOn,
      decidedOn: unrevoked.decidedOn,
    });
  }
  const higherTier = HIGHER_TIER[tier];
  // One of the tier above that stood on its own decision day (revoked since or not) stood on this
  // certification then, and would not once this one ends on `revokedOn`.
  const higher = brand.certifications.find(
    (certification) =>
      certification.tier === higherTier &&
      standsOn(certification, certification.decidedOn) &&
      standsOn(unrevoked, certification.decidedOn) &&
      !standsOn({ ...unrevoked, revokedOn }, certification.decidedOn),
  );
  if (higherTier && higher) {
    throw new DomainRefusal(
      'higher_tier_depends_on_it',
      `the ${higherTier} certification decided on ${higher.decidedOn} stood on this ${tier} certification: date the revocation after ${higher.decidedOn}`,
      { tier, revokedOn, higherTier, higherDecidedOn: higher.decidedOn },
    );
  }
  return { type: 'BrandCertificationRevoked', data: { brandId: brand.brand.brandId, tier, reason: command.reason, revokedOn } };
}
