import { Body, Controller, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { ApiWaitsForFacts, CurrentCaller, IdAnswer, Permission } from '@skills/service-runtime';
import { RegisterBrandDto } from './register-brand.dto';
import { RegisterBrandHandler } from './register-brand.handler';

@ApiTags('brands')
@Controller('api/v1/brands')
export class RegisterBrandController {
  constructor(private readonly handler: RegisterBrandHandler) {}

  @Post()
  @ApiOperation({ summary: 'Register a labour brand', description: 'Registers a brand (e.g. 株洲新希望铆焊工) of a bureau with its industry, occupations, building units and qualification policy.' })
  @Permission('brands:register')
  @ApiCreatedResponse({ type: IdAnswer, description: 'Registered; answers the new id' })
  @ApiBadRequestResponse({
    description:
      'Invalid input, named per field; policy.windowEnd before policy.windowStart (policy_window_inverted); a building unit that is no training provider or employer registered on the platform ' +
      "(field buildingUnits.<index>, e.g. buildingUnits.0, rule building_unit_unknown, creditCode), or one whose region is outside the bureau's (building_unit_outside_region, creditCode, unitRegionCode, bureauRegionCode)",
  })
  @ApiNotFoundResponse({ description: 'Unknown bureau' })
  @ApiForbiddenResponse({
    description:
      "brands:register: the caller's bureau does not contain the region of the brand's bureau, or is not of the brand's tier's level (a city bureau registers city brands, a province provincial ones, the ministry national ones; a county bureau none)",
  })
  @ApiConflictResponse({
    description:
      "brand_name_taken: a brand of this name (trimmed) is registered in the bureau's region (existingId, name, regionCode); brand_region_above_city: the bureau is a province's or the ministry's, whose brand no city bureau could certify",
  })
  @ApiWaitsForFacts("Training's and placement's registrations of providers and employers (a building unit this service does not know yet)")
  register(@Body() body: RegisterBrandDto, @CurrentCaller() caller: Caller): Promise<{ id: string }> {
    return this.handler.execute(body, caller);
  }
}
