import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CERTIFICATION_TOPIC, CertificationIntegrationEvent, IntegrationEnvelope } from '@skills/contracts';
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
 */
async function keepCertificates(tx: PoolClient, message: CertificationIntegrationEvent): Promise<void> {
  switch (message.type) {
    case 'LevelCertified': {
      const { certificateNumber, traineeId, occupationCode, level, certifiedOn } = message.payload;
      await tx.query(
        `INSERT INTO trainee_certificates (certificate_number, trainee_id, occupation_code, level, rank, certified_on, revoked_on)
         VALUES ($1, $2, $3, $4, $5, $6, (SELECT revoked_on FROM early_revocations WHERE certificate_number = $1))
         ON CONFLICT DO NOTHING`,
        [certificateNumber, traineeId, occupationCode, level, rankOf(level), certifiedOn],
      );
      return;
    }
    case 'CertificateRevoked': {
      const { certificateNumber, revokedOn } = message.payload;
      const { rowCount } = await tx.query('UPDATE trainee_certificates SET revoked_on = $2 WHERE certificate_number = $1', [certificateNumber, revokedOn]);
      // No certificate yet (its LevelCertified parked, or published before trainee_certificates existed:
      // see TraineeCertificates): remembered for it. A certificate is revoked once; the first date stays.
      if (rowCount === 0) {
        await tx.query('INSERT INTO early_revocations (certificate_number, revoked_on) VALUES ($1, $2) ON CONFLICT (certificate_number) DO NOTHING', [certificateNumber, revokedOn]);
      }
      return;
    }
  }
}
