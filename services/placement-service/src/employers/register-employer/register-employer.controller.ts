import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Permission } from '@skills/service-runtime';
import { RegisterEmployerDto } from './register-employer.dto';
import { RegisterEmployerHandler } from './register-employer.handler';

@ApiTags('placements')
@Controller('api/v1/employers')
export class RegisterEmployerController {
  constructor(private readonly handler: RegisterEmployerHandler) {}

  @Post()
  @Permission('employers:register')
  @ApiCreatedResponse({ description: 'Registered; answers the new id' })
  @ApiConflictResponse({ description: 'credit_code_registered (existingId)' })
  register(@Body() body: RegisterEmployerDto) {
    return this.handler.execute(body);
  }
}
