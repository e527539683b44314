import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { businessDateOf, UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/service-runtime';
import { CertificateNumbers } from '../certificate-numbers';
import { ladderIntegrationEvents } from '../certification-messages';
import { ladderAggregate, ladderStreamId } from '../ladder.aggregate';
import { CertificateNumberPipe } from '../verify-certificate/certificate-number.pipe';
import { RevokeCertificateDto } from './revoke-certificate.dto';

@ApiTags('certification')
@Controller('api/v1/certificates/:number/revocation')
export class RevokeCertificateController {
  constructor(
    private readonly commands: CommandHandler,
    private readonly numbers: CertificateNumbers,
  ) {}

  /** The level falls back to the highest remaining valid certificate in that occupation. */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ description: '{certificateNumber, status: revoked, levelAfter}' })
  @ApiConflictResponse({ description: 'certificate_already_revoked' })
  @ApiNotFoundResponse({ description: 'No certificate with this number' })
  async revoke(@Param('number', CertificateNumberPipe) certificateNumber: string, @Body() body: RevokeCertificateDto) {
    const holder = await this.numbers.holderOf(certificateNumber);
    if (!holder) throw new UnknownEntity('certificate', certificateNumber);
    const { events } = await this.commands.handle({
      streamId: ladderStreamId(holder.traineeId, holder.occupationCode),
      aggregate: ladderAggregate,
      command: { type: 'RevokeCertificate', certificateNumber, reason: body.reason, revokedOn: body.revokedOn ?? businessDateOf(new Date()) },
      metadata: currentCorrelation(),
      integrationEvents: ladderIntegrationEvents,
    });
    const [revoked] = events;
    return { certificateNumber, status: 'revoked', levelAfter: revoked.type === 'CertificateRevoked' ? revoked.data.levelAfter : null };
  }
}
