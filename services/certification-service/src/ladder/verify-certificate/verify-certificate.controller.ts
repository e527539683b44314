import { Body, Controller, createParamDecorator, ExecutionContext, Get, HttpCode, Param, Post, Req, UseInterceptors } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { UnknownEntity } from '@skills/domain-kernel';
import { clientAddressOf, countedAddress, InvalidInput, Public, QuestionByPost, TraineeNames } from '@skills/service-runtime';
import { Request } from 'express';
import { CERTIFICATE_NUMBER_EXAMPLE, RECORDED_CERTIFICATE_NUMBER_DESCRIPTION, RECORDED_CERTIFICATE_NUMBER_PATTERN, CertificateVerification } from '../../certification-answers';
import { CertificateNumberPipe } from './certificate-number.pipe';
import { PublicCertificates } from './public-certificates';
import { VerificationRateLimit } from './verification-rate-limit';
import { VerifyByNameDto } from './verify-by-name.dto';
import { WrongNameBound } from './wrong-name-bound';

const ANSWER = '{number, holderName (masked), occupationCode, level, route, evaluator, certifiedOn, status: valid|revoked, revokedOn?, verificationUrl}';
const PER_ADDRESS =
  'more than VERIFY_RATE_LIMIT_PER_MINUTE verifications (60 by default: by number, by number and name, a credential, its QR code and credential verifications together) in the current minute from this client address, and nothing was looked up';

/**
 * The GET once took the holder's name as `?holderName=`, where proxy and ingress logs keep it. Refused
 * rather than ignored: a client still sending it would otherwise take the answer by number for a name
 * that was never checked.
 */
const NoNameInUrl = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  if (context.switchToHttp().getRequest<Request>().query.holderName === undefined) return;
  throw new InvalidInput([{ field: 'holderName', rule: 'unknown_field', message: 'holderName is not taken in the URL: POST /api/v1/certificates/verification with {number, holderName}' }]);
});

/**
 * Public verification: by number, or by number and holder's name as the national lookup asks. Both
 * count against one per-address limit (VerificationRateLimit, one instance for the controller).
 */
@ApiTags('certification')
@Controller('api/v1/certificates')
@UseInterceptors(VerificationRateLimit)
export class VerifyCertificateController {
  constructor(
    private readonly certificates: PublicCertificates,
    private readonly names: TraineeNames,
    private readonly wrongNames: WrongNameBound,
  ) {}

  @Get(':number')
  @ApiOperation({
    summary: 'Verify a certificate',
    description:
      "Anyone may check a certificate number: the holder's masked name, occupation, level, evaluator, date, whether it stands, and its verification URL. " +
      "To check it with the holder's name as well, POST /api/v1/certificates/verification (the name goes in the body, never in a URL). " +
      'At most VERIFY_RATE_LIMIT_PER_MINUTE verifications a minute from one client address.',
  })
  @ApiParam({ name: 'number', schema: { type: 'string', pattern: RECORDED_CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE }, description: RECORDED_CERTIFICATE_NUMBER_DESCRIPTION })
  @Public()
  @ApiOkResponse({ type: CertificateVerification, description: ANSWER })
  @ApiNotFoundResponse({ description: 'No certificate with this number' })
  @ApiTooManyRequestsResponse({ description: `rate_limited: ${PER_ADDRESS}. Repeat after Retry-After seconds.` })
  async verify(@Param('number', CertificateNumberPipe) number: string, @NoNameInUrl() _noName: void): Promise<CertificateVerification> {
    const found = await this.certificates.find(number);
    if (!found) throw new UnknownEntity('certificate', number);
    return found.answer;
  }

  @Post('verification')
  @QuestionByPost()
  @HttpCode(200)
  @ApiOperation({
    summary: "Verify a certificate by number and holder's name",
    description:
      "The national lookup's question: the certificate with this number, if this is its holder's name. It answers what GET /api/v1/certificates/{number} answers (the name masked, never the one given); " +
      'any other name is answered 404 exactly as an unknown number, so the answer never tells which of the two was wrong. ' +
      'After VERIFY_WRONG_NAMES_PER_CERTIFICATE_PER_DAY wrong names (5 by default) for one number from one client address in a UTC day, every name check on that number from that address is answered 429 until the day ends, the right name too; other addresses go on. ' +
      'After ten times as many for one number from all addresses together, every name check on that number is answered 429 until the day ends. The number alone still verifies it. ' +
      'At most VERIFY_RATE_LIMIT_PER_MINUTE verifications a minute from one client address, counted with those by number.',
  })
  @Public()
  @ApiOkResponse({ type: CertificateVerification, description: ANSWER })
  @ApiNotFoundResponse({ description: 'No certificate with this number, or none with this number held by this name: the same answer' })
  @ApiTooManyRequestsResponse({
    description:
      `rate_limited: ${PER_ADDRESS}; or VERIFY_WRONG_NAMES_PER_CERTIFICATE_PER_DAY wrong names were given for this number from this client address in the current UTC day (or ten times as many from all addresses), and no name was checked. ` +
      'Repeat after Retry-After seconds (for the number, when its UTC day ends).',
  })
  @ApiServiceUnavailableResponse({ description: 'trainee_registry_unavailable: trainee-service (which alone holds names) did not answer; the name was not counted, repeat after Retry-After' })
  async verifyByName(@Body() body: VerifyByNameDto, @Req() request: Request): Promise<CertificateVerification> {
    const found = await this.certificates.find(body.number);
    // The client's address as the per-address limits count it (request.ip, which honours TRUST_PROXY), an
    // IPv6 client by its /64: it may take any address of it, each of which would otherwise count afresh.
    const address = countedAddress(clientAddressOf(request));
    // Another name is the unknown number's 404 to the letter: a wrong guess learns nothing of the holder.
    if (!found || !(await this.wrongNames.check(body.number, address, () => this.names.matches(found.holderId, body.holderName)))) throw new UnknownEntity('certificate', body.number);
    return found.answer;
  }
}
