import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { RegisterProviderDto } from './register-provider.dto';
import { RegisterProviderHandler } from './register-provider.handler';

@ApiTags('training')
@Controller('api/v1/providers')
export class RegisterProviderController {
  constructor(private readonly handler: RegisterProviderHandler) {}

  @Post()
  @Permission('providers:register')
  @ApiCreatedResponse({ description: 'Registered; answers the new id' })
  @ApiForbiddenResponse({ description: `providers:register: a bureau officer registers only inside its bureau's region` })
  @ApiConflictResponse({ description: 'The credit code is registered; the answer carries existingId' })
  register(@Body() body: RegisterProviderDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(body, caller);
  }
}
