import { Injectable } from '@nestjs/common';
import { Caller, PLACEMENT_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { existing } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { CatchUp } from '@skills/service-runtime';
import { Qualifications } from '../../qualification/qualification.service';
import { brandActorOf } from '../brand-actor';
import { BrandCertified, brandAggregate, brandStreamId, CertifyBrand, refuseTierDecider } from '../brand.aggregate';
import { CertifyBrandDto } from './certify-brand.dto';

@Injectable()
export class CertifyBrandHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly qualifications: Qualifications,
    private readonly catchUp: CatchUp,
  ) {}

  /** The qualification is computed under the brand's lock, from its own policy, in the command's transaction. */
  async execute(brandId: string, body: CertifyBrandDto, caller: Caller): Promise<BrandCertified['data']> {
    const by = await brandActorOf(this.commands, caller);
    // What needs no facts is judged before waiting for them: an unknown brand is a 404, a bureau that may
    // not decide for it (another region, another tier's level) a 403, however far behind the facts are
    // (judged again with everything else under the brand's lock).
    const brand = await this.commands.existing(mustExist(brandStreamId(brandId), 'brand', brandId), brandAggregate);
    refuseTierDecider(existing(brand, 'brand'), body.tier, by, 'brands:certify');
    // Figures still being counted (a registration's backfill, a counting-rule upgrade) are refused at once,
    // without waiting for the facts (and again in the decision's transaction).
    await this.qualifications.refuseUncounted(brandId);
    // The figures count results and employments: every one training and placement had accepted when
    // this decision arrived is applied first, outside the brand's lock (15 ends of employment
    // answered a moment ago are in the figures).
    const basedOnFacts = await this.catchUp.facts([TRAINING_TOPIC, PLACEMENT_TOPIC]);
    const { events } = await this.commands.handle({
      stream: mustExist(brandStreamId(brandId), 'brand', brandId),
      aggregate: brandAggregate,
      command: async (current, tx): Promise<CertifyBrand> => {
        const { qualification, basedOnFactSequence } = await this.qualifications.forDecision(existing(current, 'brand'), body.decidedOn, tx);
        return { type: 'CertifyBrand', tier: body.tier, decidedOn: body.decidedOn, qualification, basedOnFactSequence, basedOnFacts, by };
      },
    });
    // A certification that is not refused records exactly one BrandCertified.
    const [certified] = events;
    if (certified?.type !== 'BrandCertified') throw new Error(`certifying brand ${brandId} recorded ${certified?.type ?? 'nothing'}`);
    return certified.data;
  }
}
