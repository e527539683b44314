import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { VoidedEmploymentAnswer } from '../../placement-answers';
import { VoidEmploymentDto } from './void-employment.dto';
import { VoidEmploymentHandler } from './void-employment.handler';

@ApiTags('placements')
@Controller('api/v1/employments/:id/void')
export class VoidEmploymentController {
  constructor(private readonly handler: VoidEmploymentHandler) {}

  @Post()
  @ApiOperation({
    summary: 'Void a hire recorded in error',
    description:
      "The employer's staff void a hire recorded in error (the wrong person, the wrong placement), ended or not: as if it had never been recorded, its opening is free again (a closed placement stays closed), it leaves the employer's employments and every other service's records of employment. An employment that really was held and is over is ended instead (it stays on record with its end).",
  })
  @Permission('employments:end')
  @HttpCode(200)
  @ApiOkResponse({ type: VoidedEmploymentAnswer, description: '{employmentId, status: voided}' })
  @ApiBadRequestResponse({ description: 'reason empty or longer than 500, or holding an identity or mobile number (personal_data_in_text)' })
  @ApiNotFoundResponse({ description: 'Unknown employment (a voided one is none)' })
  @ApiForbiddenResponse({ description: "employments:end: another employer's employment" })
  void(@UuidParam('id') employmentId: string, @Body() body: VoidEmploymentDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(employmentId, body, caller);
  }
}
