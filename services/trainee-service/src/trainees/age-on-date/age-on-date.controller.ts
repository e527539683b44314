import { Controller, Get, Headers, NotFoundException, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isRealDate } from '@skills/domain-kernel';
import { INTERNAL_SECRET_HEADER, InvalidInput, Public, sameSecret, UuidParam } from '@skills/service-runtime';
import { TraineeAgeAnswers } from './trainee-age-answers';

/**
 * The same question over HTTP, for services deployed apart (TraineeAges asks it with INTERNAL_API_SECRET).
 * Not part of the API: left out of the OpenAPI document, not routed by the gateway, and answered 404 to
 * anyone without the secret, and to everyone in a deployment that sets none (the all-in-one asks in process).
 */
@ApiExcludeController()
@Controller('internal/v1/trainees')
export class AgeOnDateController {
  constructor(private readonly answers: TraineeAgeAnswers) {}

  @Get(':id/age-on/:date')
  @Public()
  async ageOn(@UuidParam('id') id: string, @Param('date') date: string, @Headers(INTERNAL_SECRET_HEADER) secret: string | undefined) {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected || !sameSecret(secret, expected)) throw new NotFoundException();
    if (!isRealDate(date)) throw new InvalidInput([{ field: 'date', rule: 'isBusinessDate', message: 'date must be a date YYYY-MM-DD' }]);
    const age = await this.answers.ageOn(id, date);
    if (!age) throw new NotFoundException('nothing is known of this trainee');
    return { age };
  }
}
