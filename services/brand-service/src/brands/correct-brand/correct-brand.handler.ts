import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { existing, FieldRefusal } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { OrganisationReplica } from '@skills/service-runtime';
import { BrandFigures } from '../../qualification/brand-figures';
import { QualificationPolicy } from '../../qualification/policy';
import { brandActorOf } from '../brand-actor';
import { Brand, brandAggregate, CorrectableBrandFacts, CorrectBrand, CORRECTABLE_BRAND_FIELDS, brandStreamId, refuseCorrectionWhateverTheUnits } from '../brand.aggregate';
import { brandNameClaim } from '../register-brand/brand-name-claim';
import { CorrectBrandDto, CorrectedBrandAnswer } from './correct-brand.dto';

/** The fields that say which facts count in the brand's figures (brand_scopes): changed, they are counted again. */
const SCOPE_FIELDS = ['occupationCodes', 'buildingUnits', 'industryCode'] as const;

/**
 * A brand registered with a mistake corrected by a bureau that may register it: its state, its directory
 * row and its figures' scope read the new values. Brands publish no messages (nothing outside brand-service
 * reads them), so none is sent. The aggregate judges who may and what registration's rules allow; the name
 * is claimed in the region as at registration, and the old one released.
 */
@Injectable()
export class CorrectBrandHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly figures: BrandFigures,
    private readonly organisations: OrganisationReplica,
  ) {}

  async execute(brandId: string, body: CorrectBrandDto, caller: Caller): Promise<CorrectedBrandAnswer> {
    const correction = correctionOf(body);
    if (Object.keys(correction).length === 0) {
      throw new FieldRefusal('name', 'nothing_to_correct', 'a correction names at least one of name, occupationCodes, buildingUnits, industryCode and policy');
    }
    const stream = mustExist(brandStreamId(brandId), 'brand', brandId);
    const by = await brandActorOf(this.commands, caller);
    // Who may is judged before the building units are looked up: a caller refused anyway never waits for them.
    refuseCorrectionWhateverTheUnits(await this.commands.existing(stream, brandAggregate), by);
    const buildingUnitRegions = body.buildingUnits ? Object.fromEntries(await this.organisations.regionsByCreditCodeCaughtUp(body.buildingUnits, ['provider', 'employer'])) : {};
    let recorded: { name: string; regionCode: string } | undefined;
    const { events } = await this.commands.handle({
      stream,
      aggregate: brandAggregate,
      command: (state: Brand): CorrectBrand => {
        recorded = existing(state, 'brand').brand;
        return { type: 'CorrectBrand', correction, buildingUnitsAsSent: body.buildingUnits ?? [], buildingUnitRegions, reason: body.reason, by };
      },
      // A new name is claimed in the region as at registration (a taken one refused naming its brand)...
      claims: (state) => {
        const { name, regionCode } = existing(state, 'brand').brand;
        if (recorded === undefined || name === recorded.name) return [];
        return [brandNameClaim(brandId, regionCode, name)];
      },
      inTransaction: async (tx, decided, state) => {
        const corrected = decided.find((event) => event.type === 'BrandCorrected');
        if (corrected?.type !== 'BrandCorrected') return;
        const { after } = corrected.data;
        // ...and the old one released first (a brand holds one claim), before the claim is inserted with the
        // last statements; refused, the whole transaction goes. A brand registered before the claims may hold none.
        if (after.name !== undefined && recorded !== undefined) {
          // By the brand, not its recorded name: a brand registered before the claims was claimed under its name trimmed.
          await tx.query('DELETE FROM brand_name_claims WHERE brand_id = $1', [brandId]);
        }
        const windowChanged = after.policy !== undefined && (after.policy.windowStart !== corrected.data.before.policy?.windowStart || after.policy.windowEnd !== corrected.data.before.policy?.windowEnd);
        if (!SCOPE_FIELDS.some((field) => after[field] !== undefined) && !windowChanged) return;
        const { industryCode, occupationCodes, buildingUnits, policy } = existing(state, 'brand').brand;
        await this.figures.rescope(tx, { brandId, industryCode, occupationCodes, buildingUnits, windowStart: policy.windowStart, windowEnd: policy.windowEnd });
      },
    });
    const [corrected] = events;
    return { id: brandId, corrected: corrected?.type === 'BrandCorrected' ? CORRECTABLE_BRAND_FIELDS.filter((field) => field in corrected.data.after) : [] };
  }
}

/** The fields the body gives, as a registration would record them: codes without repeats, credit codes upper-case, the policy's own fields only. */
function correctionOf(body: CorrectBrandDto): CorrectableBrandFacts {
  const correction: CorrectableBrandFacts = {};
  if (body.name !== undefined) correction.name = body.name;
  if (body.occupationCodes !== undefined) correction.occupationCodes = [...new Set(body.occupationCodes)];
  if (body.buildingUnits !== undefined) correction.buildingUnits = [...new Set(body.buildingUnits.map((code) => code.toUpperCase()))];
  if (body.industryCode !== undefined) correction.industryCode = body.industryCode;
  if (body.policy !== undefined) {
    const { windowStart, windowEnd, minTrained, minPassRate, minEmploymentRate, minEmployed, requiresEthicsTraining } = body.policy;
    const policy: QualificationPolicy = { windowStart, windowEnd, minTrained, minPassRate, minEmploymentRate, requiresEthicsTraining };
    if (minEmployed !== undefined) policy.minEmployed = minEmployed;
    correction.policy = policy;
  }
  return correction;
}
