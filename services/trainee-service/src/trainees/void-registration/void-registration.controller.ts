import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@skills/contracts';
import { ApiWaitsForFacts, CurrentCaller, IdAnswer, Permission, UuidParam } from '@skills/service-runtime';
import { VoidRegistrationDto } from './void-registration.dto';
import { VoidRegistrationHandler } from './void-registration.handler';

@ApiTags('trainees')
@Controller('api/v1/trainees/:id/void')
export class VoidRegistrationController {
  constructor(private readonly handler: VoidRegistrationHandler) {}

  @Post()
  @ApiOperation({ summary: 'Void a registration', description: 'A registration made in error: the trainee becomes unknown and the identity number free again; refused once anything refers to the trainee.' })
  @Permission('trainees:void')
  @ApiWaitsForFacts("Training's, certification's and placement's facts (what refers to the trainee, and what relates the caller to them)", {
    deadLetters: "the trainee's enrolments, certificates and employments",
  })
  @HttpCode(200)
  @ApiOkResponse({ type: IdAnswer, description: 'Voided: the trainee is unknown from now on, the personal data erased, the identity number free to register again' })
  @ApiNotFoundResponse({ description: 'No trainee with this id that the caller may read (a related organisation, platform_admin)' })
  @ApiConflictResponse({ description: 'trainee_referred: an enrolment, certificate or employment refers to the trainee' })
  void(@UuidParam('id') traineeId: string, @Body() body: VoidRegistrationDto, @CurrentCaller() caller: Caller): Promise<{ id: string }> {
    return this.handler.execute(traineeId, body, caller);
  }
}
