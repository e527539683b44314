import { Injectable, Logger } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist, mustNotExist } from '@skills/event-sourcing';
import { Transactions } from '@skills/postgres';
import { OrganisationReplica } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { bureauAggregate, bureauStreamId } from '../../bureaus/bureau.aggregate';
import { BrandFigures } from '../../qualification/brand-figures';
import { FiguresUpgrade } from '../../qualification/figures-upgrade';
import { brandActorOf } from '../brand-actor';
import { brandAggregate, brandStreamId, refuseRegistrationWhateverTheUnits } from '../brand.aggregate';
import { RegisterBrandDto } from './register-brand.dto';
import { brandNameClaim } from './brand-name-claim';

@Injectable()
export class RegisterBrandHandler {
  private readonly logger = new Logger('brand-figures');

  constructor(
    private readonly commands: CommandPipeline,
    private readonly figures: BrandFigures,
    private readonly upgrade: FiguresUpgrade,
    private readonly transactions: Transactions,
    private readonly organisations: OrganisationReplica,
  ) {}

  /**
   * The brand's region is its bureau's; the caller must act for that bureau (the brand aggregate decides),
   * and its building units are judged as the organisation replica knows them, looked up only once every
   * other rule lets the registration through. Its name is claimed in its region (brand_name_claims).
   */
  async execute(body: RegisterBrandDto, caller: Caller): Promise<{ id: string }> {
    const bureau = await this.commands.existing(mustExist(bureauStreamId(body.bureauId), 'bureau', body.bureauId), bureauAggregate);
    const by = await brandActorOf(this.commands, caller);
    const { policy, name } = body;
    const regionCode = bureau.regionCode;
    refuseRegistrationWhateverTheUnits({ bureauId: body.bureauId, regionCode, tier: body.tier, policy }, by);
    // The building units as the organisation replica knows them (domain.md section 5: providers and employers).
    const buildingUnitRegions = Object.fromEntries(await this.organisations.regionsByCreditCodeCaughtUp(body.buildingUnits, ['provider', 'employer']));
    const brandId = randomUUID();
    const buildingUnits = [...new Set(body.buildingUnits.map((code) => code.toUpperCase()))];
    const occupationCodes = [...new Set(body.occupationCodes)];
    await this.commands.handle({
      stream: mustNotExist(brandStreamId(brandId)),
      aggregate: brandAggregate,
      command: {
        type: 'RegisterBrand',
        brand: { brandId, ...body, buildingUnits, occupationCodes, policy: { ...policy }, regionCode },
        buildingUnitsAsSent: body.buildingUnits,
        buildingUnitRegions,
        by,
      },
      // IsText has trimmed the name.
      claims: [brandNameClaim(brandId, regionCode, name)],
      inTransaction: (tx) => this.figures.addScope(tx, { brandId, industryCode: body.industryCode, occupationCodes, buildingUnits, windowStart: policy.windowStart, windowEnd: policy.windowEnd }),
    });
    // Facts that arrived before the brand existed; facts from now on update it as they come. Until the
    // backfill's last batch marks its figures counted, its certification is refused (503) and its reads
    // do not say they are complete; one cut short by a crash is rebuilt at the next start (FiguresUpgrade).
    try {
      await this.figures.backfill(brandId);
    } catch (error) {
      // In the request's transaction (an Idempotency-Key's, a dry run's) the registration goes with it.
      if (this.transactions.joinsShared) throw error;
      // The registration is recorded (answering 500 would have it sent again, as a second brand): its
      // figures are counted again in the background, and it is answered as registered.
      this.logger.warn(`brand ${brandId}'s backfill stopped, its figures are counted again in the background: ${error instanceof Error ? error.message : String(error)}`);
      await this.figures.backfillStopped(brandId).catch(() => undefined);
      this.upgrade.resume(brandId);
    }
    return { id: brandId };
  }
}
