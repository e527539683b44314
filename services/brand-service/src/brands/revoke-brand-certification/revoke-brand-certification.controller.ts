import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Permission } from '@skills/service-runtime';
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
  revoke(@Param('id', new ParseUUIDPipe()) brandId: string, @Param('tier', TierPipe) tier: BrandTier, @Body() body: RevokeBrandCertificationDto) {
    return this.handler.execute(brandId, tier, body);
  }
}
