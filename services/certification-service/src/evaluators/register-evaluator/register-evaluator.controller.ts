import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { RegisterEvaluatorDto } from './register-evaluator.dto';
import { RegisterEvaluatorHandler } from './register-evaluator.handler';

@ApiTags('certification')
@Controller('api/v1/evaluators')
export class RegisterEvaluatorController {
  constructor(private readonly handler: RegisterEvaluatorHandler) {}

  @Post()
  @Permission('evaluators:register')
  @ApiCreatedResponse({ description: 'Registered; answers the new id' })
  @ApiForbiddenResponse({ description: `evaluators:register: a bureau officer registers only inside its bureau's region` })
  @ApiConflictResponse({ description: 'credit_code_registered: an evaluator with this credit code exists (existingId)' })
  register(@Body() body: RegisterEvaluatorDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(body, caller);
  }
}
