import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Permission } from '@skills/service-runtime';
import { RegisterBureauDto } from './register-bureau.dto';
import { RegisterBureauHandler } from './register-bureau.handler';

@ApiTags('brands')
@Controller('api/v1/bureaus')
export class RegisterBureauController {
  constructor(private readonly handler: RegisterBureauHandler) {}

  @Post()
  @Permission('bureaus:register')
  @ApiCreatedResponse({ description: 'Registered; answers the new id' })
  register(@Body() body: RegisterBureauDto): Promise<{ id: string }> {
    return this.handler.execute(body);
  }
}
