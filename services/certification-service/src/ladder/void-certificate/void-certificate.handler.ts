import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { SkillLevel, UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist, ProjectionRunner } from '@skills/event-sourcing';
import { CatchUp } from '@skills/service-runtime';
import { CertificateNumbers } from '../certificate-numbers';
import { ladderIntegrationEvents } from '../certification-messages';
import { ImportedCertificateRows } from '../import-certificates/imported-certificate-rows';
import { ladderAggregate, ladderStreamId, VoidCertificate } from '../ladder.aggregate';
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
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
  ) {}

  /** The number's index names the ladder the certificate lives in; no entry, no certificate (404). */
  async execute(certificateNumber: string, body: VoidCertificateDto, caller: Caller): Promise<{ certificateNumber: string; status: 'voided'; levelAfter: SkillLevel | null }> {
    const holder = await this.numbers.holderOf(certificateNumber);
    if (!holder) throw new UnknownEntity('certificate', certificateNumber);
    // The certificates read model caught up with the log first: a certificate voided a moment ago is no other.
    await this.catchUp.forRead(true, [], this.projections);
    const { events } = await this.commands.handle({
      stream: mustExist(ladderStreamId(holder.traineeId, holder.occupationCode), 'certificate', certificateNumber),
      aggregate: ladderAggregate,
      // Whether the evaluator's relation to the worker stands on another of its certificates: the certificates
      // read model, caught up above, holds every one recorded before (one recorded since is told apart by its consumers).
      command: async (ladder, tx): Promise<VoidCertificate> => {
        const evaluatorId = ladder.certificates.find((held) => held.certificateNumber === certificateNumber)?.evaluatorId;
        const { rows } = await tx.query<{ others: boolean }>(
          'SELECT EXISTS (SELECT 1 FROM certificates WHERE trainee_id = $1 AND evaluator_id = $2 AND certificate_number <> $3) AS others',
          [holder.traineeId, evaluatorId ?? null, certificateNumber],
        );
        return { type: 'VoidCertificate', certificateNumber, reason: body.reason, by: actorOf(caller), evaluatorHoldsOthers: rows[0].others };
      },
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
