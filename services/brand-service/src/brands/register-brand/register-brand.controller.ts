import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { RegisterBrandDto } from './register-brand.dto';
import { RegisterBrandHandler } from './register-brand.handler';

@ApiTags('brands')
@Controller('api/v1/brands')
export class RegisterBrandController {
  constructor(private readonly handler: RegisterBrandHandler) {}

  @Post()
  @Permission('brands:register')
  @ApiCreatedResponse({ description: 'Registered; answers the new id' })
  @ApiNotFoundResponse({ description: 'Unknown bureau' })
  @ApiForbiddenResponse({ description: "brands:register: the caller's bureau does not contain the region of the brand's bureau" })
  register(@Body() body: RegisterBrandDto, @CurrentCaller() caller: Caller): Promise<{ id: string }> {
    return this.handler.execute(body, caller);
  }
}
