import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CERTIFICATION_TOPIC, CertificationIntegrationEvent, IntegrationEnvelope } from '@skills/contracts';
import { rankOf, SkillLevel } from '@skills/domain-kernel';
import { MessageConsumer } from '@skills/messaging';

/** Keeps `trainee_levels` (certification topic), once per event. Trainees are the shared TraineeReplica's. */
@Controller()
export class PlacementReplicaConsumers {
  constructor(private readonly consumer: MessageConsumer) {}

  @EventPattern(CERTIFICATION_TOPIC)
  async onCertificationEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    await this.consumer.consume('placement.trainee-levels', CERTIFICATION_TOPIC, envelope, async (tx, current) => {
      const message = current as CertificationIntegrationEvent;
      switch (message.type) {
        case 'LevelCertified': {
          // A certificate of an earlier year entered late never lowers the level held now.
          const { traineeId, occupationCode, level } = message.payload;
          await tx.query(
            `INSERT INTO trainee_levels (trainee_id, occupation_code, level, rank) VALUES ($1, $2, $3, $4)
             ON CONFLICT (trainee_id, occupation_code) DO UPDATE SET level = excluded.level, rank = excluded.rank
             WHERE trainee_levels.rank < excluded.rank`,
            [traineeId, occupationCode, level, rankOf(level)],
          );
          return;
        }
        case 'CertificateRevoked': {
          // Certification says what stands after the revocation (the highest remaining valid certificate).
          const { traineeId, occupationCode, levelAfter } = message.payload;
          await tx.query(
            `INSERT INTO trainee_levels (trainee_id, occupation_code, level, rank) VALUES ($1, $2, $3, $4)
             ON CONFLICT (trainee_id, occupation_code) DO UPDATE SET level = excluded.level, rank = excluded.rank`,
            [traineeId, occupationCode, levelAfter, levelAfter ? rankOf(levelAfter as SkillLevel) : 0],
          );
          return;
        }
      }
    });
  }
}
