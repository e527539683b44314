import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { CERTIFICATE_NUMBER_EXAMPLE, RECORDED_CERTIFICATE_NUMBER_DESCRIPTION, RECORDED_CERTIFICATE_NUMBER_PATTERN, VoidedCertificateAnswer } from '../../certification-answers';
import { CertificateNumberPipe } from '../verify-certificate/certificate-number.pipe';
import { VoidCertificateDto } from './void-certificate.dto';
import { VoidCertificateHandler } from './void-certificate.handler';

@ApiTags('certification')
@Controller('api/v1/certificates/:number/void')
export class VoidCertificateController {
  constructor(private readonly handler: VoidCertificateHandler) {}

  @Post()
  @ApiOperation({
    summary: 'Void a certificate recorded in error',
    description:
      'The issuing evaluator voids a certificate recorded in error (a wrong cell of an import, the wrong worker), revoked or not: it leaves the ladder, the lists, verification, statistics and the archive as if never recorded, its credential fails its status check, and its number is free for an import to record the corrected row. A certificate that should no longer stand is revoked instead (it stays on record as revoked).',
  })
  @ApiParam({ name: 'number', schema: { type: 'string', pattern: RECORDED_CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE }, description: RECORDED_CERTIFICATE_NUMBER_DESCRIPTION })
  @Permission('certificates:revoke')
  @HttpCode(200)
  @ApiOkResponse({ type: VoidedCertificateAnswer, description: '{certificateNumber, status: voided, levelAfter}' })
  @ApiConflictResponse({ description: 'later_certificate_stands_on_it: a later certificate of a route (not imported) on the same ladder was judged on a ladder that held this one (laterCertificateNumber): void it first, or revoke this one' })
  @ApiNotFoundResponse({ description: 'No certificate with this number (a voided one is none)' })
  @ApiForbiddenResponse({ description: 'The caller is not staff of the evaluator that issued the certificate (certificates:revoke)' })
  void(@Param('number', CertificateNumberPipe) certificateNumber: string, @Body() body: VoidCertificateDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(certificateNumber, body, caller);
  }
}
