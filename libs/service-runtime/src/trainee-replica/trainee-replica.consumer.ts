import { Controller, Inject, Optional } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TRAINEE_TOPIC, TraineeIntegrationEvent } from '@skills/contracts';
import { ApplyTogether, MessageCause, MessageConsumer, runWithCorrelation } from '@skills/messaging';
import { PoolClient } from 'pg';

export const TRAINEE_REPLICA_CONSUMER = Symbol('TRAINEE_REPLICA_CONSUMER');
export const TRAINEE_VOIDED_FOLLOW_UP = Symbol('TRAINEE_VOIDED_FOLLOW_UP');

/**
 * What a service records of its own when it learns a registration was voided (training: frees the seats
 * of enrolments it accepted before it knew). Run in the transaction that makes the replica forget the
 * trainee, in the void message's context: no command of the service sees the trainee forgotten while
 * what it recorded of them before is not yet undone.
 */
export interface TraineeVoidedFollowUp {
  afterVoided(tx: PoolClient, traineeId: string): Promise<void>;
}

/**
 * Keeps `known_trainees` from the trainee topic, once per event whatever the transport redelivers.
 * Region, masked name and a minor's 16th birthday are personal data: kept only until erasure; a voided
 * registration is forgotten, so nothing new can refer to it. Both are remembered by id (`forgotten_trainees`),
 * so a registration that arrives after them (a dead letter retried) undoes neither.
 */
@Controller()
export class TraineeReplicaConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    @Inject(TRAINEE_REPLICA_CONSUMER) private readonly name: string,
    @Optional() @Inject(TRAINEE_VOIDED_FOLLOW_UP) private readonly voidedFollowUp?: TraineeVoidedFollowUp,
  ) {}

  @EventPattern(TRAINEE_TOPIC)
  async onTraineeEvent(@Payload() envelope: TraineeIntegrationEvent): Promise<void> {
    await this.consumer.consumeTogether(this.name, TRAINEE_TOPIC, envelope, (current) => current as TraineeIntegrationEvent, this.applyAll);
  }

  /** A chunk's messages in order, a run of registrations (an import's) in one insert; every effect a statement on tx. */
  private readonly applyAll: ApplyTogether<TraineeIntegrationEvent> = async (tx, consumed) => {
    const messages = consumed.map(({ value }) => value);
    for (let from = 0; from < messages.length; ) {
      let to = from;
      while (to < messages.length && messages[to].type === 'TraineeRegistered') to++;
      if (to > from) await registerAll(tx, messages.slice(from, to) as Registered[]);
      else await this.applyOne(tx, messages[to], consumed[to++].cause);
      from = to;
    }
  };

  private async applyOne(tx: PoolClient, message: TraineeIntegrationEvent, cause: MessageCause): Promise<void> {
    await applyOne(tx, message);
    const followUp = this.voidedFollowUp;
    if (followUp && message.type === 'TraineeRegistrationVoided') {
      const { traineeId } = message.payload;
      await runWithCorrelation(cause.correlationId, () => followUp.afterVoided(tx, traineeId), cause.causationId, cause.actor);
    }
  }
}

type Registered = Extract<TraineeIntegrationEvent, { type: 'TraineeRegistered' }>;

/**
 * Registrations in one insert, in their order: a trainee already known (or registered earlier in it) is left
 * as it is; one erased before is known without its personal data, one voided before not at all.
 */
async function registerAll(tx: PoolClient, messages: Registered[]): Promise<void> {
  const payloads = messages.map((message) => message.payload);
  await tx.query(
    `INSERT INTO known_trainees (trainee_id, name_masked, registered_on, working_age_from)
     SELECT r.id, CASE WHEN f.trainee_id IS NULL THEN r.name END, r.registered, CASE WHEN f.trainee_id IS NULL THEN r.working_age END
       FROM unnest($1::uuid[], $2::text[], $3::date[], $4::date[]) WITH ORDINALITY AS r(id, name, registered, working_age, n)
       LEFT JOIN forgotten_trainees f ON f.trainee_id = r.id
      WHERE f.voided IS NOT TRUE
      ORDER BY r.n ON CONFLICT DO NOTHING`,
    [payloads.map((each) => each.traineeId), payloads.map((each) => each.nameMasked), payloads.map((each) => each.registeredOn), payloads.map((each) => each.workingAgeFrom)],
  );
}

async function applyOne(tx: PoolClient, message: TraineeIntegrationEvent): Promise<void> {
  switch (message.type) {
    case 'TraineeRegistered':
      return registerAll(tx, [message]);
    case 'TraineeCorrected':
      // A correction after erasure is refused by trainee-service; the guard keeps an erased name erased.
      await tx.query('UPDATE known_trainees SET name_masked = $2 WHERE trainee_id = $1 AND name_masked IS NOT NULL', [message.payload.traineeId, message.payload.nameMasked]);
      return;
    case 'TraineeRegistrationVoided':
      await tx.query('DELETE FROM known_trainees WHERE trainee_id = $1', [message.payload.traineeId]);
      await tx.query('INSERT INTO forgotten_trainees (trainee_id, voided) VALUES ($1, true) ON CONFLICT (trainee_id) DO UPDATE SET voided = true', [message.payload.traineeId]);
      return;
    case 'PersonalDataErased':
      await tx.query('UPDATE known_trainees SET name_masked = NULL, region_code = NULL, working_age_from = NULL WHERE trainee_id = $1', [message.payload.traineeId]);
      await tx.query('INSERT INTO forgotten_trainees (trainee_id, voided) VALUES ($1, false) ON CONFLICT (trainee_id) DO NOTHING', [message.payload.traineeId]);
      return;
  }
}
