import { Body, Controller, HttpCode, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@skills/contracts';
import { CurrentCaller, IdAnswer, Permission, UuidParam } from '@skills/service-runtime';
import { CorrectTraineeDto } from './correct-trainee.dto';
import { CorrectTraineeHandler } from './correct-trainee.handler';

@ApiTags('trainees')
@Controller('api/v1/trainees')
export class CorrectTraineeController {
  constructor(private readonly handler: CorrectTraineeHandler) {}

  @Patch(':id')
  @ApiOperation({ summary: 'Correct a trainee', description: 'PIPL article 46: corrects the name or the phone.' })
  @Permission('trainees:correct')
  @HttpCode(200)
  @ApiOkResponse({ type: IdAnswer, description: 'Corrected (PIPL article 46), recorded as a correction; the masked name of certificate verification follows' })
  @ApiBadRequestResponse({ description: 'A field is invalid, or neither name nor phone is given (nothing_to_correct)' })
  @ApiNotFoundResponse({ description: 'No trainee with this id that the caller may read (the trainee, a related organisation, platform_admin)' })
  @ApiConflictResponse({ description: "personal_data_erased: the trainee's personal data was erased" })
  correct(@UuidParam('id') traineeId: string, @Body() body: CorrectTraineeDto, @CurrentCaller() caller: Caller): Promise<{ id: string }> {
    return this.handler.execute(traineeId, body, caller);
  }
}
