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

/** Each certificate with the day it was certified and, once revoked, the day it was revoked. */
async function keepCertificates(tx: PoolClient, message: CertificationIntegrationEvent): Promise<void> {
  switch (message.type) {
    case 'LevelCertified': {
      const { certificateNumber, traineeId, occupationCode, level, certifiedOn } = message.payload;
      await tx.query(
        `INSERT INTO trainee_certificates (certificate_number, trainee_id, occupation_code, level, rank, certified_on) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING`,
        [certificateNumber, traineeId, occupationCode, level, rankOf(level), certifiedOn],
      );
      return;
    }
    case 'CertificateRevoked':
      // LevelCertified comes first on the same key (the ladder's stream). A certificate published
      // before this table existed is not here, and its revocation changes nothing (see TraineeCertificates).
      await tx.query('UPDATE trainee_certificates SET revoked_on = $2 WHERE certificate_number = $1', [message.payload.certificateNumber, message.payload.revokedOn]);
      return;
  }
}
