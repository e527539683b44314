import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, IdAnswer, Permission } from '@skills/service-runtime';
import { RegisterEvaluatorDto } from './register-evaluator.dto';
import { RegisterEvaluatorHandler } from './register-evaluator.handler';

@ApiTags('certification')
@Controller('api/v1/evaluators')
export class RegisterEvaluatorController {
  constructor(private readonly handler: RegisterEvaluatorHandler) {}

  @Post()
  @ApiOperation({ summary: 'Register an evaluation organisation', description: 'Registers an evaluator (e.g. 株洲市职业技能鉴定中心) with its credit code and region.' })
  @Permission('evaluators:register')
  @ApiCreatedResponse({ type: IdAnswer, description: 'Registered; answers the new id' })
  @ApiForbiddenResponse({ description: `evaluators:register: a bureau officer registers only inside its bureau's region` })
  @ApiConflictResponse({ description: 'credit_code_registered: an evaluator with this credit code exists (existingId)' })
  register(@Body() body: RegisterEvaluatorDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(body, caller);
  }
}
