import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Permission } from '@skills/service-runtime';
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
  register(@Body() body: RegisterBrandDto): Promise<{ id: string }> {
    return this.handler.execute(body);
  }
}
