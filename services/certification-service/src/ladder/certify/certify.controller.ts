import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { ApiWaitsForFacts, CurrentCaller, DryRunnable, Permission } from '@skills/service-runtime';
import { CertifyDto } from './certify.dto';
import { CertifyHandler } from './certify.handler';
import { CertifiedAnswer } from '../../certification-answers';

@ApiTags('certification')
@Controller('api/v1/certifications')
export class CertifyController {
  constructor(private readonly handler: CertifyHandler) {}

  @Post()
  @ApiOperation({ summary: 'Certify a skill level', description: 'Issues a certificate of a level in an occupation to a trainee, by the ladder\'s rules (domain.md section 2); answers the certificate number. With `dryRun=true`, answers the rule that would refuse it, or the certificate it would issue (the number it would get now), and issues nothing.' })
  @Permission('certificates:certify')
  @ApiWaitsForFacts("Trainee-service's registrations (a trainee not known here yet) or placement's facts (direct certification and appointment)", { asksTraineeService: true, decidesOnTrainee: true })
  @ApiCreatedResponse({ type: CertifiedAnswer, description: '{certificateNumber, level, previousLevel}' })
  @DryRunnable(CertifiedAnswer)
  @ApiConflictResponse({
    description:
      "A ladder rule refused it: the answer names the rule, the current level (judged on certifiedOn by the certificates that stand now: a certificate revoked since counts for none) and the requested one (a certificate dated before later ones: `later_certificate_not_above` names one it would no longer be above, `later_direct_requires_unrated` a direct certification made while the worker had no level). `certificate_serials_exhausted`: every number of the evaluator's certification year and grade (serials 1 to 999999) is on the platform, and none is left (past the last serial, which an imported number may have taken, the free numbers below it are given from the top down)",
  })
  @ApiNotFoundResponse({ description: 'Unknown trainee or evaluator' })
  @ApiForbiddenResponse({ description: 'The caller is not staff of the evaluator named (certificates:certify)' })
  certify(@Body() body: CertifyDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(body, caller);
  }
}
