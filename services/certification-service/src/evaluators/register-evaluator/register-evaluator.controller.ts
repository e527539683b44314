import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Permission } from '@skills/service-runtime';
import { RegisterEvaluatorDto } from './register-evaluator.dto';
import { RegisterEvaluatorHandler } from './register-evaluator.handler';

@ApiTags('certification')
@Controller('api/v1/evaluators')
export class RegisterEvaluatorController {
  constructor(private readonly handler: RegisterEvaluatorHandler) {}

  @Post()
  @Permission('evaluators:register')
  @ApiCreatedResponse({ description: 'Registered; answers the new id' })
  @ApiConflictResponse({ description: 'credit_code_registered: an evaluator with this credit code exists (existingId)' })
  register(@Body() body: RegisterEvaluatorDto) {
    return this.handler.execute(body);
  }
}
