import { Controller, Inject, Optional } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CERTIFICATION_TOPIC, IntegrationEnvelope, PLACEMENT_TOPIC, TRAINEE_TOPIC, TraineeIntegrationEvent, TraineeUnrelatedV1, TRAINING_TOPIC } from '@skills/contracts';
import { enqueueMessages, OutboxMessage } from '@skills/event-sourcing';
import { ApplyTogether, MessageCause, MessageConsumer } from '@skills/messaging';
import { Clock, systemClock } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { randomUUID } from 'node:crypto';
import { PoolClient } from 'pg';
import { CLOCK } from '../tokens';
import { CertificateRelation, certificateRelationOf, recordCertificateRelations } from './certificate-relations';
import { relateAll, takeBackUnrelated, TraineeRelation, TraineeRelationVoided, TraineeUnrelated } from './relating-facts';
import { relatedOrganisationOf } from './trainee-relations';
import { TRAINEE_RELATIONS_CONSUMER, TraineeRelationsConsumerOptions } from './trainee-relations.options';

/**
 * Keeps `trainee_relations` from the facts that relate an organisation to a trainee (see
 * relatedOrganisationOf: registrations, enrolments and hires, and the voids of the last two) and from
 * certificates certified and voided (certificateRelationOf), on every topic that carries one, once per
 * message whatever the transport redelivers; but for the facts the service's own commands relate as they
 * record them. The service that knows every fact of its relations (trainee-service: `announceUnrelated`)
 * announces each pair a void took back (TraineeUnrelated, in the void's transaction); the others take back
 * on it a relation made before they kept facts (takeBackUnrelated).
 */
@Controller()
export class TraineeRelationsConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    @Inject(TRAINEE_RELATIONS_CONSUMER) private readonly options: TraineeRelationsConsumerOptions,
    /** Whose outbox the announcements go to (announceUnrelated). */
    @Optional() private readonly database?: Database,
    /** When the announcements are made (the service's clock; the system's where none is given, as in the specs). */
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
  ) {
    if (options.announceUnrelated && !database) throw new Error('announcing the relations taken back needs the service database (its outbox)');
  }

  @EventPattern(TRAINEE_TOPIC)
  onTraineeEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    return this.consume(TRAINEE_TOPIC, envelope);
  }

  @EventPattern(TRAINING_TOPIC)
  onTrainingEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    return this.consume(TRAINING_TOPIC, envelope);
  }

  @EventPattern(CERTIFICATION_TOPIC)
  onCertificationEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    return this.consume(CERTIFICATION_TOPIC, envelope);
  }

  @EventPattern(PLACEMENT_TOPIC)
  onPlacementEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    return this.consume(PLACEMENT_TOPIC, envelope);
  }

  private async consume(topic: string, envelope: IntegrationEnvelope): Promise<void> {
    if (this.options.relatedWithTheFact?.includes(envelope?.type)) return;
    // Its own announcement: the pair went with the void that made it.
    if (this.options.announceUnrelated && envelope?.type === 'TraineeUnrelated') return;
    await this.consumer.consumeTogether(this.options.inbox, topic, envelope, relationOf, this.relateChunk);
  }

  /**
   * A chunk's relations by other facts (in one statement but for a chunk holding a void), then its
   * certificates' (which take back only a relation resting on certificates alone), then the pairs announced
   * unrelated (TraineeUnrelated); its effects, and the announcements of the pairs its voids took back, on tx.
   */
  private readonly relateChunk: ApplyTogether<Relation | undefined> = async (tx, consumed) => {
    const values = consumed.flatMap(({ value }) => (value ? [value] : []));
    const takenBack = await relateAll(tx, values.filter((value): value is TraineeRelation | TraineeRelationVoided => !isCertificate(value) && !isUnrelated(value)));
    await recordCertificateRelations(tx, values.filter(isCertificate));
    await takeBackUnrelated(tx, values.filter(isUnrelated).map(({ traineeId, organisationId, voidedFacts }) => ({ traineeId, organisationId, voidedFacts })));
    if (this.options.announceUnrelated) await this.announce(tx, takenBack, consumed);
  };

  /**
   * One TraineeUnrelated per pair taken back, keyed by its trainee, caused by the void of the chunk that
   * voided a fact of the pair; in the chunk's transaction, so once with its inbox claims.
   */
  private async announce(tx: PoolClient, takenBack: TraineeUnrelated[], consumed: Array<{ value: Relation | undefined; cause: MessageCause }>): Promise<void> {
    if (takenBack.length === 0) return;
    const now = this.clock.now().toISOString();
    const messages = takenBack.map(({ traineeId, organisationId, voidedFacts }): OutboxMessage => {
      const voidedBy = consumed.find(({ value }) => value && !isCertificate(value) && 'voided' in value && value.voided && value.traineeId === traineeId && value.organisationId === organisationId)?.cause ?? consumed[0].cause;
      const payload: TraineeUnrelatedV1 = { traineeId, organisationId, voidedFacts: voidedFacts.map(({ kind, id }) => ({ kind, id })) };
      const envelope: Extract<TraineeIntegrationEvent, { type: 'TraineeUnrelated' }> = {
        eventId: randomUUID(),
        type: 'TraineeUnrelated',
        schemaVersion: 1,
        aggregateId: traineeId,
        // Of no stream: the trainee's own facts are ordered by their key (the trainee), not by this.
        aggregateVersion: 0,
        occurredAt: now,
        recordedAt: now,
        correlationId: voidedBy.correlationId,
        causationId: voidedBy.causationId,
        payload,
      };
      return { topic: TRAINEE_TOPIC, key: traineeId, envelope };
    });
    await enqueueMessages(tx, this.database!.schema, messages);
  }
}

/** A pair its facts' owner says no fact relates any more (TraineeUnrelatedV1). */
interface UnrelatedPair extends TraineeUnrelated {
  unrelated: true;
}

type Relation = TraineeRelation | TraineeRelationVoided | CertificateRelation | UnrelatedPair;

const relationOf = (message: IntegrationEnvelope): Relation | undefined => certificateRelationOf(message) ?? unrelatedOf(message) ?? relatedOrganisationOf(message);

/** The pair a TraineeUnrelated takes back, its voided enrolments and hires as it names them (none but those two kinds). */
function unrelatedOf(message: IntegrationEnvelope): UnrelatedPair | undefined {
  if (message?.type !== 'TraineeUnrelated') return undefined;
  const { traineeId, organisationId, voidedFacts } = (message as Extract<TraineeIntegrationEvent, { type: 'TraineeUnrelated' }>).payload;
  const named = (Array.isArray(voidedFacts) ? voidedFacts : []).filter((fact) => (fact?.kind === 'enrollment' || fact?.kind === 'employment') && typeof fact.id === 'string');
  return { unrelated: true, traineeId, organisationId, voidedFacts: named.map(({ kind, id }) => ({ kind, id })) };
}

const isCertificate = (value: Relation): value is CertificateRelation => 'certificateNumber' in value;

const isUnrelated = (value: Relation): value is UnrelatedPair => 'unrelated' in value;
