import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { brandActorOf } from '../brand-actor';
import { brandAggregate, brandStreamId, BrandTier } from '../brand.aggregate';
import { RevokeBrandCertificationDto } from './revoke-brand-certification.dto';

@Injectable()
export class RevokeBrandCertificationHandler {
  constructor(private readonly commands: CommandPipeline) {}

  /** Revoked as of today (the aggregate's `now`). */
  async execute(brandId: string, tier: BrandTier, body: RevokeBrandCertificationDto, caller: Caller): Promise<{ tier: BrandTier; status: 'revoked' }> {
    const by = await brandActorOf(this.commands, caller);
    await this.commands.handle({
      stream: mustExist(brandStreamId(brandId), 'brand', brandId),
      aggregate: brandAggregate,
      command: { type: 'RevokeBrandCertification', tier, reason: body.reason, by },
    });
    return { tier, status: 'revoked' };
  }
}
