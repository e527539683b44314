import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { EndEmploymentDto } from './end-employment.dto';
import { EndEmploymentHandler } from './end-employment.handler';
import { EndedEmploymentAnswer } from '../../placement-answers';

@ApiTags('placements')
@Controller('api/v1/employments/:id/end')
export class EndEmploymentController {
  constructor(private readonly handler: EndEmploymentHandler) {}

  /** Active until the day before `endDate`; the trainee may then be hired by this employer again. */
  @Post()
  @ApiOperation({ summary: 'End an employment', description: 'Records the day an employment ends: `endDate` is the first day the trainee is no longer employed there (active until the day before).' })
  @Permission('employments:end')
  @HttpCode(200)
  @ApiOkResponse({ type: EndedEmploymentAnswer, description: '{employmentId, endDate}' })
  @ApiConflictResponse({ description: 'employment_already_ended or ended_before_start' })
  @ApiNotFoundResponse({ description: 'Unknown employment' })
  @ApiForbiddenResponse({ description: "employments:end: another employer's employment" })
  end(@UuidParam('id') employmentId: string, @Body() body: EndEmploymentDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(employmentId, body, caller);
  }
}
