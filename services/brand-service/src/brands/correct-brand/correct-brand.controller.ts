import { Body, Controller, HttpCode, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { ApiWaitsForFacts, CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { CorrectBrandDto, CorrectedBrandAnswer } from './correct-brand.dto';
import { CorrectBrandHandler } from './correct-brand.handler';

@ApiTags('brands')
@Controller('api/v1/brands')
export class CorrectBrandController {
  constructor(private readonly handler: CorrectBrandHandler) {}

  @Patch(':id')
  @ApiOperation({
    summary: 'Correct a labour brand registered with a mistake',
    description:
      "A bureau that may register the brand corrects its name, occupations, building units, industry or qualification policy, with the reason (kept with the record). Judged as registration is: the name unique in the brand's region (the old one released), each building unit a provider or employer of the region, the policy's window in order. The brand, its list row and its qualification read the corrected values: its figures are counted again under the corrected building units, occupations, industry and window. Certifications already decided keep the figures they were decided on; while one of a higher tier than the brand's stands, the brand is not corrected (409 brand_certified_above_tier). The bureau, region and tier are not corrected: a brand of another tier is another brand (register it). Fields given as recorded change nothing: answered 200 with `corrected: []` and nothing recorded (a retried correction).",
  })
  @Permission('brands:register')
  @HttpCode(200)
  @ApiOkResponse({ type: CorrectedBrandAnswer, description: '{id, corrected: [the fields changed]}' })
  @ApiBadRequestResponse({
    description:
      'A field is invalid, named per field; none of name, occupationCodes, buildingUnits, industryCode and policy is given (nothing_to_correct); policy.windowEnd before policy.windowStart (policy_window_inverted); a building unit that is no training provider or employer registered on the platform ' +
      "(field buildingUnits.<index>, rule building_unit_unknown, creditCode) or one outside the brand's region (building_unit_outside_region); or the reason holds personal data (personal_data_in_text)",
  })
  @ApiNotFoundResponse({ description: 'No brand with this id' })
  @ApiForbiddenResponse({
    description:
      "brands:register: the caller's bureau does not contain the brand's region, or is not of the brand's tier's level (only a bureau that may register the brand corrects it)",
  })
  @ApiConflictResponse({
    description:
      "brand_name_taken: another brand of this name (trimmed) is registered in the brand's region (existingId, name, regionCode); brand_certified_above_tier: a certification of a higher tier than the brand's stands (tier, decidedOn): another bureau judged the brand as it stood, so it is corrected once that bureau has revoked it",
  })
  @ApiWaitsForFacts("Training's and placement's registrations of providers and employers (a building unit this service does not know yet)")
  correct(@UuidParam('id') brandId: string, @Body() body: CorrectBrandDto, @CurrentCaller() caller: Caller): Promise<CorrectedBrandAnswer> {
    return this.handler.execute(brandId, body, caller);
  }
}
