import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist, mustNotExist } from '@skills/event-sourcing';
import { randomUUID } from 'node:crypto';
import { bureauAggregate, bureauStreamId } from '../../bureaus/bureau.aggregate';
import { BrandFigures } from '../../qualification/brand-figures';
import { brandActorOf } from '../brand-actor';
import { brandAggregate, brandStreamId } from '../brand.aggregate';
import { RegisterBrandDto } from './register-brand.dto';

@Injectable()
export class RegisterBrandHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly figures: BrandFigures,
  ) {}

  /** The brand's region is its bureau's; the caller's bureau must contain it (the brand aggregate decides). */
  async execute(body: RegisterBrandDto, caller: Caller): Promise<{ id: string }> {
    const bureau = await this.commands.existing(mustExist(bureauStreamId(body.bureauId), 'bureau', body.bureauId), bureauAggregate);
    const by = await brandActorOf(this.commands, caller);
    const brandId = randomUUID();
    const buildingUnits = [...new Set(body.buildingUnits.map((code) => code.toUpperCase()))];
    const occupationCodes = [...new Set(body.occupationCodes)];
    const { policy } = body;
    await this.commands.handle({
      stream: mustNotExist(brandStreamId(brandId)),
      aggregate: brandAggregate,
      command: {
        type: 'RegisterBrand',
        brand: { brandId, ...body, buildingUnits, occupationCodes, policy: { ...policy }, regionCode: bureau.regionCode },
        by,
      },
      inTransaction: (tx) => this.figures.addScope(tx, { brandId, industryCode: body.industryCode, occupationCodes, buildingUnits, windowStart: policy.windowStart, windowEnd: policy.windowEnd }),
    });
    // Facts that arrived before the brand existed; facts from now on update it as they come.
    await this.figures.backfill(brandId);
    return { id: brandId };
  }
}
