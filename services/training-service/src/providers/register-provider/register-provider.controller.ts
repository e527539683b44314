import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, IdAnswer, Permission } from '@skills/service-runtime';
import { RegisterProviderDto } from './register-provider.dto';
import { RegisterProviderHandler } from './register-provider.handler';

@ApiTags('training')
@Controller('api/v1/providers')
export class RegisterProviderController {
  constructor(private readonly handler: RegisterProviderHandler) {}

  @Post()
  @ApiOperation({ summary: 'Register a training provider', description: 'Registers a school (e.g. 株洲市职业技术培训学校) with its credit code and region.' })
  @Permission('providers:register')
  @ApiCreatedResponse({ type: IdAnswer, description: 'Registered; answers the new id' })
  @ApiForbiddenResponse({ description: `providers:register: a bureau officer registers only inside its bureau's region` })
  @ApiConflictResponse({ description: 'The credit code is registered; the answer carries existingId' })
  register(@Body() body: RegisterProviderDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(body, caller);
  }
}
