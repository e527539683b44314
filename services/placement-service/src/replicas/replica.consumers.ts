import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CERTIFICATION_TOPIC, CertificationIntegrationEvent, IntegrationEnvelope, recordingOf } from '@skills/contracts';
import { rankOf } from '@skills/domain-kernel';
import { MessageConsumer } from '@skills/messaging';
import { PoolClient } from 'pg';
import { TRAINEE_CERTIFICATES_CONSUMER } from './trainee-levels';

/**
 * Keeps `trainee_certificates` (certification topic), once per event; the hire's minimum level is judged
 * on it. Trainees are the shared TraineeReplica's.
 */
@Controller()
export class PlacementReplicaConsumers {
  constructor(private readonly consumer: MessageConsumer) {}

  @EventPattern(CERTIFICATION_TOPIC)
  async onCertificationEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    await this.consumer.consume(TRAINEE_CERTIFICATES_CONSUMER, CERTIFICATION_TOPIC, envelope, (tx, current) => keepCertificates(tx, current as CertificationIntegrationEvent));
  }
}

/**
 * Each certificate with the day it was certified and, once revoked, the day it was revoked. A trainee's
 * facts come in order (keyed by trainee), but a LevelCertified parked as a dead letter and retried later,
 * or a replay, comes after its revocation: the revocation then finds no row and is remembered
 * (`early_revocations`), and the certificate is written with its revocation date, never standing again.
 *
 * A number voided (CertificateVoided) may be recorded again, perhaps for another worker, whose facts travel
 * under another key: the recordings of a number arrive in any order. A row holds the number's latest
 * recording known here; a LevelCertified of a later one replaces it, of an earlier one (or of one voided,
 * remembered in `voided_certificates`) changes nothing; a revocation or a void acts on its own recording only.
 */
async function keepCertificates(tx: PoolClient, message: CertificationIntegrationEvent): Promise<void> {
  switch (message.type) {
    case 'LevelCertified': {
      const { certificateNumber, traineeId, occupationCode, level, certifiedOn } = message.payload;
      await tx.query(
        `INSERT INTO trainee_certificates (certificate_number, trainee_id, occupation_code, level, rank, certified_on, revoked_on, recording)
         SELECT $1, $2, $3, $4, $5, $6, (SELECT revoked_on FROM early_revocations WHERE certificate_number = $1 AND recording = $7), $7
          WHERE NOT EXISTS (SELECT 1 FROM voided_certificates WHERE certificate_number = $1 AND recording = $7)
         ON CONFLICT (certificate_number) DO UPDATE
           SET trainee_id = excluded.trainee_id, occupation_code = excluded.occupation_code, level = excluded.level, rank = excluded.rank,
               certified_on = excluded.certified_on, revoked_on = excluded.revoked_on, recording = excluded.recording
           WHERE trainee_certificates.recording < excluded.recording`,
        [certificateNumber, traineeId, occupationCode, level, rankOf(level), certifiedOn, recordingOf(message.payload)],
      );
      return;
    }
    case 'CertificateRevoked': {
      const { certificateNumber, revokedOn } = message.payload;
      const recording = recordingOf(message.payload);
      const { rowCount } = await tx.query('UPDATE trainee_certificates SET revoked_on = $2 WHERE certificate_number = $1 AND recording = $3', [certificateNumber, revokedOn, recording]);
      // No certificate yet (its LevelCertified parked, or published before trainee_certificates existed:
      // see TraineeCertificates): remembered for it. A certificate is revoked once; the first date stays.
      // One per number: a later recording's revocation takes the place of an earlier one's, whose certificate
      // a later recording's LevelCertified replaces anyway.
      if (rowCount === 0) {
        await tx.query(
          `INSERT INTO early_revocations (certificate_number, revoked_on, recording) VALUES ($1, $2, $3)
           ON CONFLICT (certificate_number) DO UPDATE SET revoked_on = excluded.revoked_on, recording = excluded.recording
             WHERE early_revocations.recording < excluded.recording`,
          [certificateNumber, revokedOn, recording],
        );
      }
      return;
    }
    case 'CertificateVoided': {
      // As if never recorded: the row goes, and the worker's level is what their other certificates give
      // (the message's levelAfter). Remembered, so that its LevelCertified arriving later is not written.
      const { certificateNumber } = message.payload;
      const recording = recordingOf(message.payload);
      await tx.query('DELETE FROM trainee_certificates WHERE certificate_number = $1 AND recording = $2', [certificateNumber, recording]);
      await tx.query('INSERT INTO voided_certificates (certificate_number, recording) VALUES ($1, $2) ON CONFLICT DO NOTHING', [certificateNumber, recording]);
      return;
    }
  }
}
