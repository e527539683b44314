import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { brandActorOf } from '../brand-actor';
import { brandAggregate, brandStreamId, BrandTier } from '../brand.aggregate';
import { RevokeBrandCertificationDto } from './revoke-brand-certification.dto';

@Injectable()
export class RevokeBrandCertificationHandler {
  constructor(private readonly commands: CommandPipeline) {}

  /** Revoked as of `revokedOn`, or today (the aggregate's `now`) when the body names no date. */
  async execute(brandId: string, tier: BrandTier, body: RevokeBrandCertificationDto, caller: Caller): Promise<{ tier: BrandTier; status: 'revoked'; revokedOn: string }> {
    const by = await brandActorOf(this.commands, caller);
    const { events } = await this.commands.handle({
      stream: mustExist(brandStreamId(brandId), 'brand', brandId),
      aggregate: brandAggregate,
      command: { type: 'RevokeBrandCertification', tier, reason: body.reason, revokedOn: body.revokedOn, by },
    });
    // A revocation that is not refused records exactly one BrandCertificationRevoked.
    const [revoked] = events;
    if (revoked?.type !== 'BrandCertificationRevoked') throw new Error(`revoking the ${tier} certification of brand ${brandId} recorded ${revoked?.type ?? 'nothing'}`);
    return { tier, status: 'revoked', revokedOn: revoked.data.revokedOn };
  }
}
