import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { ApiWaitsForFacts, CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { CertifyBrandDto } from './certify-brand.dto';
import { CertifyBrandHandler } from './certify-brand.handler';
import { BrandCertificationAnswer } from '../../brand-answers';

@ApiTags('brands')
@Controller('api/v1/brands/:id/certifications')
export class CertifyBrandController {
  constructor(private readonly handler: CertifyBrandHandler) {}

  @Post()
  @ApiOperation({
    summary: 'Certify a labour brand at a tier',
    description:
      'Judges the brand against its policy on the recorded facts (domain.md section 5) and certifies it at the tier when it qualifies; a provincial tier needs a standing city one, a national a provincial one. ' +
      'What needs no figures (who may decide, a decidedOn after today, the tier rules) is answered before waiting for the facts, never with 503.',
  })
  @Permission('brands:certify')
  @ApiWaitsForFacts("Training's and placement's facts (or, answered at once, the brand's figures from them: still being counted after its registration or a change to how they are counted)", {
    deadLetters: "the brand's results or employments",
  })
  @ApiCreatedResponse({ type: BrandCertificationAnswer, description: 'Certified: {tier, decidedOn, figures, basedOnFactSequence}' })
  @ApiConflictResponse({ description: 'brand_does_not_qualify (with unmet), requires_city_certification, requires_provincial_certification, tier_already_certified' })
  @ApiForbiddenResponse({ description: "brands:certify: the caller's bureau does not contain the brand's region, or its level is not the tier's" })
  certify(@UuidParam('id') brandId: string, @Body() body: CertifyBrandDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(brandId, body, caller);
  }
}
