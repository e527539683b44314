import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { CertifyBrandDto } from './certify-brand.dto';
import { CertifyBrandHandler } from './certify-brand.handler';

@ApiTags('brands')
@Controller('api/v1/brands/:id/certifications')
export class CertifyBrandController {
  constructor(private readonly handler: CertifyBrandHandler) {}

  @Post()
  @Permission('brands:certify')
  @ApiCreatedResponse({ description: 'Certified: {tier, decidedOn, figures, basedOnFactSequence}' })
  @ApiConflictResponse({ description: 'brand_does_not_qualify (with unmet), requires_city_certification, requires_provincial_certification, tier_already_certified' })
  @ApiForbiddenResponse({ description: "brands:certify: the caller's bureau does not contain the brand's region, or its level is not the tier's" })
  certify(@Param('id', new ParseUUIDPipe()) brandId: string, @Body() body: CertifyBrandDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(brandId, body, caller);
  }
}
