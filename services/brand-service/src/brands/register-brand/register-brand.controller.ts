import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { businessDateOf, UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { currentCorrelation, InvalidInput } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { bureauAggregate, bureauStreamId } from '../../bureaus/bureau.aggregate';
import { BrandFigures } from '../../qualification/brand-figures';
import { brandAggregate, brandStreamId } from '../brand.aggregate';
import { RegisterBrandDto } from './register-brand.dto';

@ApiTags('brands')
@Controller('api/v1/brands')
export class RegisterBrandController {
  constructor(
    private readonly commands: CommandHandler,
    private readonly figures: BrandFigures,
  ) {}

  @Post()
  @ApiCreatedResponse({ description: 'Registered; answers the new id' })
  @ApiNotFoundResponse({ description: 'Unknown bureau' })
  async register(@Body() body: RegisterBrandDto): Promise<{ id: string }> {
    if (body.policy.windowStart > body.policy.windowEnd) {
      throw new InvalidInput([{ field: 'policy.windowEnd', rule: 'notBeforeWindowStart', message: 'policy.windowEnd must not be before policy.windowStart' }]);
    }
    const { state: bureau } = await this.commands.load(bureauStreamId(body.bureauId), bureauAggregate);
    if (bureau.status !== 'registered') throw new UnknownEntity('bureau', body.bureauId);
    const brandId = randomUUID();
    const buildingUnits = [...new Set(body.buildingUnits.map((code) => code.toUpperCase()))];
    const occupationCodes = [...new Set(body.occupationCodes)];
    await this.commands.handle({
      streamId: brandStreamId(brandId),
      aggregate: brandAggregate,
      command: {
        type: 'RegisterBrand',
        brand: { brandId, ...body, buildingUnits, occupationCodes, policy: { ...body.policy }, regionCode: bureau.regionCode, registeredOn: businessDateOf(new Date()) },
      },
      metadata: currentCorrelation(),
      inTransaction: (tx) =>
        this.figures.addScope(tx, { brandId, industryCode: body.industryCode, occupationCodes, buildingUnits, windowStart: body.policy.windowStart, windowEnd: body.policy.windowEnd }),
    });
    // Facts that arrived before the brand existed; facts from now on update it as they come.
    await this.figures.backfill(brandId);
    return { id: brandId };
  }
}
