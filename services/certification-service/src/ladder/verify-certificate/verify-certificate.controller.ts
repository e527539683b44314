import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { Public, TraineeReplica } from '@skills/service-runtime';
import { CertificateNumbers } from '../certificate-numbers';
import { LadderEvent, ladderStreamId, LevelCertified } from '../ladder.aggregate';
import { CertificateNumberPipe } from './certificate-number.pipe';
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

@ApiTags('certification')
@Controller('api/v1/certificates')
export class VerifyCertificateController {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly numbers: CertificateNumbers,
    private readonly trainees: TraineeReplica,
  ) {}

  /** Public verification, from the ladder's own stream: a certificate is verifiable the moment it is issued. */
  @Get(':number')
  @ApiOperation({ summary: 'Verify a certificate', description: 'Anyone may check a certificate number: the holder\'s masked name, occupation, level, evaluator, date and whether it stands.' })
  @ApiParam({ name: 'number', schema: { type: 'string', pattern: CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE }, description: 'A certificate number (domain.md section 1), in any case' })
  @Public()
  @ApiOkResponse({ type: CertificateVerification, description: '{number, holderName (masked), occupationCode, level, evaluator, certifiedOn, status: valid|revoked}' })
  @ApiNotFoundResponse({ description: 'No certificate with this number' })
  async verify(@Param('number', CertificateNumberPipe) number: string) {
    const holder = await this.numbers.holderOf(number);
    if (!holder) throw new UnknownEntity('certificate', number);
    const { state } = await this.commands.load(mustExist(ladderStreamId(holder.traineeId, holder.occupationCode), 'certificate', number), issuedCertificates);
    const certificate = state.get(number);
    if (!certificate) throw new UnknownEntity('certificate', number);
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
    };
  }
}
