import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { RegisterBrandDto } from './register-brand.dto';
import { RegisterBrandHandler } from './register-brand.handler';

@ApiTags('brands')
@Controller('api/v1/brands')
export class RegisterBrandController {
  constructor(private readonly handler: RegisterBrandHandler) {}

  @Post()
  @ApiCreatedResponse({ description: 'Registered; answers the new id' })
  @ApiNotFoundResponse({ description: 'Unknown bureau' })
  register(@Body() body: RegisterBrandDto): Promise<{ id: string }> {
    return this.handler.execute(body);
  }
}
