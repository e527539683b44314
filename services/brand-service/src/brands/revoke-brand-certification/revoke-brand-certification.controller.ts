import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { BrandTier } from '../brand.aggregate';
import { RevokeBrandCertificationDto, TierPipe } from './revoke-brand-certification.dto';
import { RevokeBrandCertificationHandler } from './revoke-brand-certification.handler';

@ApiTags('brands')
@Controller('api/v1/brands/:id/certifications/:tier/revocation')
export class RevokeBrandCertificationController {
  constructor(private readonly handler: RevokeBrandCertificationHandler) {}

  @Post()
  @Permission('brands:revoke')
  @HttpCode(200)
  @ApiOkResponse({ description: '{tier, status: revoked}' })
  @ApiConflictResponse({ description: 'tier_not_certified' })
  @ApiForbiddenResponse({ description: "brands:revoke: the caller's bureau does not contain the brand's region, or its level is not the tier's" })
  revoke(@Param('id', new ParseUUIDPipe()) brandId: string, @Param('tier', TierPipe) tier: BrandTier, @Body() body: RevokeBrandCertificationDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(brandId, tier, body, caller);
  }
}
