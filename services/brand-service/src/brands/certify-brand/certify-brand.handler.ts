import { Inject, Injectable } from '@nestjs/common';
import { Caller, PLACEMENT_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { Clock, existing } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { CatchUp, CLOCK } from '@skills/service-runtime';
import { Qualifications } from '../../qualification/qualification.service';
import { brandActorOf } from '../brand-actor';
import { BrandCertified, brandAggregate, brandStreamId, CertificationRequest, CertifyBrand, refuseCertificationWhateverTheFigures } from '../brand.aggregate';
import { CertifyBrandDto } from './certify-brand.dto';

@Injectable()
export class CertifyBrandHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly qualifications: Qualifications,
    private readonly catchUp: CatchUp,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The qualification is computed under the brand's lock, from its own policy, in the command's transaction. */
  async execute(brandId: string, body: CertifyBrandDto, caller: Caller): Promise<BrandCertified['data']> {
    const request: CertificationRequest = { tier: body.tier, decidedOn: body.decidedOn, by: await brandActorOf(this.commands, caller) };
    // What needs no facts is judged before waiting for them, on the brand as read: an unknown brand is a
    // 404, a bureau that may not decide for it a 403, a date after today a 400, the tier rules a 409,
    // however far behind the facts are and whatever waits as a dead letter (judged again under the lock).
    const brand = await this.commands.existing(mustExist(brandStreamId(brandId), 'brand', brandId), brandAggregate);
    refuseCertificationWhateverTheFigures(brand, request, this.clock.now());
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
        const locked = existing(current, 'brand');
        // A certification recorded while this one waited is answered as the tier rule it breaks, not as a dead letter's 503.
        refuseCertificationWhateverTheFigures(locked, request, this.clock.now());
        const { qualification, basedOnFactSequence } = await this.qualifications.forDecision(locked, body.decidedOn, tx);
        return { type: 'CertifyBrand', ...request, qualification, basedOnFactSequence, basedOnFacts };
      },
    });
    // A certification that is not refused records exactly one BrandCertified.
    const [certified] = events;
    if (certified?.type !== 'BrandCertified') throw new Error(`certifying brand ${brandId} recorded ${certified?.type ?? 'nothing'}`);
    return certified.data;
  }
}
