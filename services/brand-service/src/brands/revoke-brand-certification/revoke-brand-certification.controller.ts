import { Body, Controller, HttpCode, Param, ParseUUIDPipe, PipeTransform, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { businessDateOf } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { currentCorrelation, InvalidInput } from '@skills/service-runtime';
import { IsString, Length } from 'class-validator';
import { Qualifications } from '../../qualification/qualification.service';
import { BRAND_TIERS, brandAggregate, brandStreamId, BrandTier } from '../brand.aggregate';

export class RevokeBrandCertificationDto {
  @ApiProperty({ example: '复核不达标' })
  @IsString()
  @Length(1, 500)
  reason: string;
}

/** An unknown tier in the path is a 400 naming it. */
class TierPipe implements PipeTransform<string, BrandTier> {
  transform(value: string): BrandTier {
    if (!(BRAND_TIERS as readonly string[]).includes(value)) throw new InvalidInput([{ field: 'tier', rule: 'isIn', message: `tier must be one of ${BRAND_TIERS.join(', ')}` }]);
    return value as BrandTier;
  }
}

@ApiTags('brands')
@Controller('api/v1/brands/:id/certifications/:tier/revocation')
export class RevokeBrandCertificationController {
  constructor(
    private readonly commands: CommandHandler,
    private readonly qualifications: Qualifications,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ description: '{tier, status: revoked}' })
  @ApiConflictResponse({ description: 'tier_not_certified' })
  async revoke(@Param('id', new ParseUUIDPipe()) brandId: string, @Param('tier', TierPipe) tier: BrandTier, @Body() body: RevokeBrandCertificationDto) {
    await this.qualifications.brand(brandId);
    await this.commands.handle({
      streamId: brandStreamId(brandId),
      aggregate: brandAggregate,
      command: { type: 'RevokeBrandCertification', tier, reason: body.reason, revokedOn: businessDateOf(new Date()) },
      metadata: currentCorrelation(),
    });
    return { tier, status: 'revoked' };
  }
}
