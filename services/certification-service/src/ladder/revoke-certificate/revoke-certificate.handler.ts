import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { SkillLevel, UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { CertificateNumbers } from '../certificate-numbers';
import { ladderIntegrationEvents } from '../certification-messages';
import { ladderAggregate, ladderStreamId } from '../ladder.aggregate';
import { RevokeCertificateDto } from './revoke-certificate.dto';

@Injectable()
export class RevokeCertificateHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly numbers: CertificateNumbers,
  ) {}

  /** The number's index names the ladder the certificate lives in; no entry, no certificate (404). */
  async execute(certificateNumber: string, body: RevokeCertificateDto, caller: Caller): Promise<{ certificateNumber: string; status: 'revoked'; levelAfter: SkillLevel | null }> {
    const holder = await this.numbers.holderOf(certificateNumber);
    if (!holder) throw new UnknownEntity('certificate', certificateNumber);
    const { events } = await this.commands.handle({
      stream: mustExist(ladderStreamId(holder.traineeId, holder.occupationCode), 'certificate', certificateNumber),
      aggregate: ladderAggregate,
      command: { type: 'RevokeCertificate', certificateNumber, reason: body.reason, revokedOn: body.revokedOn, by: actorOf(caller) },
      integrationEvents: ladderIntegrationEvents,
    });
    const [revoked] = events;
    return { certificateNumber, status: 'revoked', levelAfter: revoked.type === 'CertificateRevoked' ? revoked.data.levelAfter : null };
  }
}
