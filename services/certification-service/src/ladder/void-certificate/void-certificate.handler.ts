import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { SkillLevel, UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { CertificateNumbers } from '../certificate-numbers';
import { ladderIntegrationEvents } from '../certification-messages';
import { ImportedCertificateRows } from '../import-certificates/imported-certificate-rows';
import { ladderAggregate, ladderStreamId } from '../ladder.aggregate';
import { VoidCertificateDto } from './void-certificate.dto';

/**
 * A certificate recorded in error (an import's wrong cell, the wrong worker) leaves the platform as if it
 * had never been recorded: off the ladder and its read models here, and, by CertificateVoided, off every
 * other service's. In the void's transaction its number is freed, and the import row that recorded it
 * forgotten, so the corrected row (or the same one) is recorded by an import anew. A revocation, by
 * contrast, keeps the certificate on record as revoked.
 */
@Injectable()
export class VoidCertificateHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly numbers: CertificateNumbers,
    private readonly importedRows: ImportedCertificateRows,
  ) {}

  /** The number's index names the ladder the certificate lives in; no entry, no certificate (404). */
  async execute(certificateNumber: string, body: VoidCertificateDto, caller: Caller): Promise<{ certificateNumber: string; status: 'voided'; levelAfter: SkillLevel | null }> {
    const holder = await this.numbers.holderOf(certificateNumber);
    if (!holder) throw new UnknownEntity('certificate', certificateNumber);
    const { events } = await this.commands.handle({
      stream: mustExist(ladderStreamId(holder.traineeId, holder.occupationCode), 'certificate', certificateNumber),
      aggregate: ladderAggregate,
      command: { type: 'VoidCertificate', certificateNumber, reason: body.reason, by: actorOf(caller) },
      inTransaction: async (tx) => {
        await this.numbers.free(tx, certificateNumber);
        await this.importedRows.forget(tx, certificateNumber);
      },
      integrationEvents: ladderIntegrationEvents,
    });
    const [voided] = events;
    return { certificateNumber, status: 'voided', levelAfter: voided.type === 'CertificateVoided' ? voided.data.levelAfter : null };
  }
}
