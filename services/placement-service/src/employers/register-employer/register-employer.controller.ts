import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, IdAnswer, Permission } from '@skills/service-runtime';
import { RegisterEmployerDto } from './register-employer.dto';
import { RegisterEmployerHandler } from './register-employer.handler';

@ApiTags('placements')
@Controller('api/v1/employers')
export class RegisterEmployerController {
  constructor(private readonly handler: RegisterEmployerHandler) {}

  @Post()
  @ApiOperation({ summary: 'Register an employer', description: 'Registers an employer (e.g. 中车株洲电力机车有限公司) with its credit code, industry and region.' })
  @Permission('employers:register')
  @ApiCreatedResponse({ type: IdAnswer, description: 'Registered; answers the new id' })
  @ApiForbiddenResponse({ description: `employers:register: a bureau officer registers only inside its bureau's region` })
  @ApiConflictResponse({ description: 'credit_code_registered (existingId)' })
  register(@Body() body: RegisterEmployerDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(body, caller);
  }
}
