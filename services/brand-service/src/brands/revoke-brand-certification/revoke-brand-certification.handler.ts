import { Injectable } from '@nestjs/common';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { brandAggregate, brandStreamId, BrandTier } from '../brand.aggregate';
import { RevokeBrandCertificationDto } from './revoke-brand-certification.dto';

@Injectable()
export class RevokeBrandCertificationHandler {
  constructor(private readonly commands: CommandPipeline) {}

  /** Revoked as of today (the aggregate's `now`). */
  async execute(brandId: string, tier: BrandTier, body: RevokeBrandCertificationDto): Promise<{ tier: BrandTier; status: 'revoked' }> {
    await this.commands.handle({
      stream: mustExist(brandStreamId(brandId), 'brand', brandId),
      aggregate: brandAggregate,
      command: { type: 'RevokeBrandCertification', tier, reason: body.reason },
    });
    return { tier, status: 'revoked' };
  }
}
