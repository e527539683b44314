import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { CertificateNumberPipe } from '../verify-certificate/certificate-number.pipe';
import { RevokeCertificateDto } from './revoke-certificate.dto';
import { RevokeCertificateHandler } from './revoke-certificate.handler';
import { CERTIFICATE_NUMBER_EXAMPLE, RECORDED_CERTIFICATE_NUMBER_DESCRIPTION, RECORDED_CERTIFICATE_NUMBER_PATTERN, RevokedCertificateAnswer } from '../../certification-answers';

@ApiTags('certification')
@Controller('api/v1/certificates/:number/revocation')
export class RevokeCertificateController {
  constructor(private readonly handler: RevokeCertificateHandler) {}

  /** The level falls back to the highest remaining valid certificate in that occupation. */
  @Post()
  @ApiOperation({ summary: 'Revoke a certificate', description: 'The issuing evaluator revokes a certificate with a reason; the holder\'s level falls back to the best certificate left.' })
  @ApiParam({ name: 'number', schema: { type: 'string', pattern: RECORDED_CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE }, description: RECORDED_CERTIFICATE_NUMBER_DESCRIPTION })
  @Permission('certificates:revoke')
  @HttpCode(200)
  @ApiOkResponse({ type: RevokedCertificateAnswer, description: '{certificateNumber, status: revoked, levelAfter}' })
  @ApiConflictResponse({ description: 'certificate_already_revoked; revoked_before_certification: revokedOn is before the certificate\'s certifiedOn (the answer names both)' })
  @ApiNotFoundResponse({ description: 'No certificate with this number' })
  @ApiForbiddenResponse({ description: 'The caller is not staff of the evaluator that issued the certificate (certificates:revoke)' })
  revoke(@Param('number', CertificateNumberPipe) certificateNumber: string, @Body() body: RevokeCertificateDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(certificateNumber, body, caller);
  }
}
