import { Controller, ForbiddenException, Get, Headers, NotFoundException, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isRealDate } from '@skills/domain-kernel';
import { AGE_UNKNOWN_RULE, INTERNAL_SECRET_HEADER, INTERNAL_SECRET_RULE, InvalidInput, NOT_REGISTERED, NOT_REGISTERED_RULE, Public, sameSecret, UuidParam } from '@skills/service-runtime';
import { TraineeAgeAnswers } from './trainee-age-answers';

/**
 * The same question over HTTP, for services deployed apart (TraineeAges asks it with INTERNAL_API_SECRET).
 * Not part of the API: left out of the OpenAPI document and not routed by the gateway. In a deployment that
 * sets no INTERNAL_API_SECRET (the all-in-one, which asks in process) the route answers nobody: 404. Where
 * one is set, a caller without it is refused 403 (INTERNAL_SECRET_RULE), never 404: TraineeAges reads its
 * 404s as "nothing is known of this person's age" (AGE_UNKNOWN_RULE: erased), letting the age rules pass, or
 * "no registration" (NOT_REGISTERED_RULE: unknown or voided), so a
 * mismatched secret answered 404 would switch them off silently; refused, it is the 503 of a registry
 * that cannot be asked, as for names.
 */
@ApiExcludeController()
@Controller('internal/v1/trainees')
export class AgeOnDateController {
  constructor(private readonly answers: TraineeAgeAnswers) {}

  @Get(':id/age-on/:date')
  @Public()
  async ageOn(@UuidParam('id') id: string, @Param('date') date: string, @Headers(INTERNAL_SECRET_HEADER) secret: string | undefined) {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected) throw new NotFoundException();
    if (!sameSecret(secret, expected)) {
      throw new ForbiddenException({ message: `${INTERNAL_SECRET_HEADER} is not this deployment's INTERNAL_API_SECRET`, rule: INTERNAL_SECRET_RULE });
    }
    if (!isRealDate(date)) throw new InvalidInput([{ field: 'date', rule: 'isBusinessDate', message: 'date must be a date YYYY-MM-DD' }]);
    const age = await this.answers.ageOn(id, date);
    if (age === NOT_REGISTERED) throw new NotFoundException({ message: 'trainee-service holds no registration of this trainee', rule: NOT_REGISTERED_RULE });
    if (!age) throw new NotFoundException({ message: 'nothing is known of this trainee', rule: AGE_UNKNOWN_RULE });
    return { age };
  }
}
