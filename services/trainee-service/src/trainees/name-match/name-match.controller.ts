import { Body, Controller, Headers, HttpCode, NotFoundException, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { INTERNAL_SECRET_HEADER, Public, sameSecret, UuidParam } from '@skills/service-runtime';
import { NameMatchDto } from './name-match.dto';
import { TraineeNameAnswers } from './trainee-name-answers';

/**
 * The same question over HTTP, for services deployed apart (TraineeNames asks it with INTERNAL_API_SECRET).
 * Not part of the API: left out of the OpenAPI document, not routed by the gateway, and answered 404 to
 * anyone without the secret, and to everyone in a deployment that sets none (the all-in-one asks in process).
 * A POST so the name travels in the body, never in a URL that a proxy would log.
 */
@ApiExcludeController()
@Controller('internal/v1/trainees')
export class NameMatchController {
  constructor(private readonly answers: TraineeNameAnswers) {}

  @Post(':id/name-match')
  @HttpCode(200)
  @Public()
  async matches(@UuidParam('id') id: string, @Body() body: NameMatchDto, @Headers(INTERNAL_SECRET_HEADER) secret: string | undefined) {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected || !sameSecret(secret, expected)) throw new NotFoundException();
    return { matches: await this.answers.matches(id, body.name) };
  }
}
