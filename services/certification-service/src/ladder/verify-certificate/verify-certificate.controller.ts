import { Controller, Get, Inject, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { Public, RUNTIME_CONFIG, RuntimeConfig, TraineeNames, TraineeReplica } from '@skills/service-runtime';
import { CertificateNumbers } from '../certificate-numbers';
import { LadderEvent, ladderStreamId, LevelCertified } from '../ladder.aggregate';
import { CertificateNumberPipe } from './certificate-number.pipe';
import { VerificationRateLimit } from './verification-rate-limit';
import { VerifyCertificateQuery } from './verify-certificate.query';
import { CERTIFICATE_NUMBER_EXAMPLE, CERTIFICATE_NUMBER_PATTERN, CertificateVerification } from '../../certification-answers';

type IssuedCertificates = Map<string, LevelCertified['data'] & { status: 'valid' | 'revoked'; revokedOn?: string }>;

/** The certificates of one ladder as the public sees them, folded from its stream. */
const issuedCertificates = {
  initialState: (): IssuedCertificates => new Map(),
  evolve(certificates: IssuedCertificates, event: LadderEvent): IssuedCertificates {
    const next = new Map(certificates);
    if (event.type === 'LevelCertified') next.set(event.data.certificateNumber, { ...event.data, status: 'valid' });
    else next.set(event.data.certificateNumber, { ...certificates.get(event.data.certificateNumber)!, status: 'revoked', revokedOn: event.data.revokedOn });
    return next;
  },
};

/** The one URL a certificate is verified at, printed on it and the `id` of its credential (api.md). */
export const verificationUrlOf = (publicOrigin: string, number: string) => `${publicOrigin}/verify/${number}`;

@ApiTags('certification')
@Controller('api/v1/certificates')
export class VerifyCertificateController {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly numbers: CertificateNumbers,
    private readonly trainees: TraineeReplica,
    private readonly names: TraineeNames,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /** Public verification, from the ladder's own stream: a certificate is verifiable the moment it is issued. */
  @Get(':number')
  @ApiOperation({
    summary: 'Verify a certificate',
    description:
      "Anyone may check a certificate number: the holder's masked name, occupation, level, evaluator, date, whether it stands, and its verification URL. " +
      "With `holderName`, as the national lookup asks, only the holder's own name finds it; any other name is answered 404 exactly as an unknown number, so the answer never tells which of the two was wrong. " +
      'At most VERIFY_RATE_LIMIT_PER_MINUTE verifications a minute from one client address.',
  })
  @ApiParam({ name: 'number', schema: { type: 'string', pattern: CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE }, description: 'A certificate number (domain.md section 1), in any case' })
  @Public()
  @UseInterceptors(VerificationRateLimit)
  @ApiOkResponse({ type: CertificateVerification, description: '{number, holderName (masked), occupationCode, level, route, evaluator, certifiedOn, status: valid|revoked, revokedOn?, verificationUrl}' })
  @ApiNotFoundResponse({ description: 'No certificate with this number, or (with holderName) none with this number held by this name: the same answer' })
  @ApiTooManyRequestsResponse({
    description: 'rate_limited: more than VERIFY_RATE_LIMIT_PER_MINUTE verifications (60 by default) in the current minute from this client address; nothing was looked up. Repeat after Retry-After seconds.',
    headers: { 'Retry-After': { description: 'Seconds until the limit allows requests again', schema: { type: 'integer', minimum: 1 } } },
  })
  @ApiServiceUnavailableResponse({ description: 'trainee_registry_unavailable: with holderName, trainee-service (which alone holds names) did not answer; repeat after Retry-After' })
  async verify(@Param('number', CertificateNumberPipe) number: string, @Query() query: VerifyCertificateQuery) {
    const holder = await this.numbers.holderOf(number);
    if (!holder) throw new UnknownEntity('certificate', number);
    const { state } = await this.commands.load(mustExist(ladderStreamId(holder.traineeId, holder.occupationCode), 'certificate', number), issuedCertificates);
    const certificate = state.get(number);
    if (!certificate) throw new UnknownEntity('certificate', number);
    const holderName = query.holderName?.trim();
    // Another name is the unknown number's 404 to the letter: a wrong guess learns nothing of the holder.
    if (holderName && !(await this.names.matches(holder.traineeId, holderName))) throw new UnknownEntity('certificate', number);
    const trainee = await this.trainees.find(holder.traineeId);
    return {
      number,
      holderName: trainee?.nameMasked ?? null,
      occupationCode: certificate.occupationCode,
      level: certificate.level,
      route: certificate.route,
      evaluator: certificate.evaluatorName,
      certifiedOn: certificate.certifiedOn,
      status: certificate.status,
      ...(certificate.revokedOn ? { revokedOn: certificate.revokedOn } : {}),
      verificationUrl: verificationUrlOf(this.config.publicOrigin, number),
    };
  }
}
