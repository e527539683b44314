import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { BRAND_TIERS, BrandTier } from '../brand.aggregate';
import { RevokeBrandCertificationDto, TierPipe } from './revoke-brand-certification.dto';
import { RevokeBrandCertificationHandler } from './revoke-brand-certification.handler';
import { RevokedBrandCertificationAnswer } from '../../brand-answers';

@ApiTags('brands')
@Controller('api/v1/brands/:id/certifications/:tier/revocation')
export class RevokeBrandCertificationController {
  constructor(private readonly handler: RevokeBrandCertificationHandler) {}

  @Post()
  @ApiOperation({ summary: 'Revoke a brand certification', description: 'Revokes the standing certification of the tier as of `revokedOn` (default today), with a reason; the decision stays in the brand\'s history.' })
  @ApiParam({ name: 'tier', enum: BRAND_TIERS, description: 'The tier whose standing certification is revoked' })
  @Permission('brands:revoke')
  @HttpCode(200)
  @ApiOkResponse({ type: RevokedBrandCertificationAnswer, description: '{tier, status: revoked, revokedOn}' })
  @ApiConflictResponse({
    description:
      'tier_not_certified, revoked_before_certification (revokedOn before the certification was decided), higher_tier_depends_on_it (revokedOn on or before the decision of a certification of the tier above that stood on this one, revoked since or not: `higherTier`, `higherDecidedOn`; date this revocation after it)',
  })
  @ApiForbiddenResponse({ description: "brands:revoke: the caller's bureau does not contain the brand's region, or its level is not the tier's" })
  revoke(@UuidParam('id') brandId: string, @Param('tier', TierPipe) tier: BrandTier, @Body() body: RevokeBrandCertificationDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(brandId, tier, body, caller);
  }
}
