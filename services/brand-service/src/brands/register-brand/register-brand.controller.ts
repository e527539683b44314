import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, IdAnswer, Permission } from '@skills/service-runtime';
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
  @ApiNotFoundResponse({ description: 'Unknown bureau' })
  @ApiForbiddenResponse({ description: "brands:register: the caller's bureau does not contain the region of the brand's bureau, or is not of the brand's tier's level (a city bureau registers city brands, a province provincial ones, the ministry national ones; a county bureau none)" })
  register(@Body() body: RegisterBrandDto, @CurrentCaller() caller: Caller): Promise<{ id: string }> {
    return this.handler.execute(body, caller);
  }
}
