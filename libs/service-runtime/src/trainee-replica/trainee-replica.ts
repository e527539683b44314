import { Inject, Injectable } from '@nestjs/common';
import { TRAINEE_TOPIC } from '@skills/contracts';
import { FieldRefusal } from '@skills/domain-kernel';
import { unappliedLetterAbout } from '@skills/messaging';
import { Database, Sql, Statement } from '@skills/postgres';
import { CatchUp, FactsParked } from '../catch-up';
import { RuntimeConfig } from '../runtime-config';
import { RUNTIME_CONFIG } from '../tokens';
import { waitUntil } from '../wait-until';
import { TRAINEE_REPLICA_CONSUMER } from './trainee-replica.consumer';

/** Whether one of the trainee's facts waits as a dead letter of this service's replica consumer (`consumer`); `id` taken as text: where else it is a uuid, cast it there. */
const parkedFactOf = (id: string, consumer: string) => unappliedLetterAbout(TRAINEE_TOPIC, consumer, id);

export interface KnownTrainee {
  traineeId: string;
  /** null once the trainee's personal data was erased (also `workingAgeFrom`). */
  nameMasked: string | null;
  registeredOn: string | null;
  /** The first day the trainee may be hired, for someone registered under 16; null otherwise. */
  workingAgeFrom: string | null;
  /** One of the trainee's facts waits here as a dead letter (FactsParked): the row may be out of date. */
  factsParked: boolean;
}

/**
 * The trainees a service knows of from trainee-service's topic (`known_trainees`, kept by
 * TraineeReplicaConsumer): the one replica of trainees that training, certification and placement share.
 * An id not held here is looked for again once caught up (findCaughtUp): a client that just registered a
 * trainee may use the id at once.
 */
@Injectable()
export class TraineeReplica {
  constructor(
    private readonly database: Database,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
    private readonly catchUp: CatchUp,
    @Inject(TRAINEE_REPLICA_CONSUMER) private readonly replicaConsumer: string,
  ) {}

  async find(traineeId: string): Promise<KnownTrainee | undefined> {
    const { rows } = await this.database.query<KnownTrainee>(
      `SELECT trainee_id AS "traineeId", name_masked AS "nameMasked", to_char(registered_on, 'YYYY-MM-DD') AS "registeredOn",
              to_char(working_age_from, 'YYYY-MM-DD') AS "workingAgeFrom", ${parkedFactOf('$1', '$2')} AS "factsParked"
       FROM known_trainees WHERE trainee_id = $1::uuid`,
      [traineeId, this.replicaConsumer],
    );
    return rows[0];
  }

  /**
   * Under 16 on `date` (domain.md section 4), as far as trainee-service says: it tells only a minor's
   * 16th birthday, never a birth date. After erasure the replica knows nothing (trainee-service keeps an erased
   * minor's 16th birthday until it comes, and answers the age from it: see TraineeAges).
   */
  static underWorkingAge(trainee: KnownTrainee, date: string): boolean {
    return trainee.workingAgeFrom !== null && date < trainee.workingAgeFrom;
  }

  /**
   * Whether the trainee is known here with none of their facts parked, as a statement a command sends with
   * its first round trip (CommandRequest.requires); when not, findCaughtUp says which. The row is held
   * (FOR SHARE) until the command commits: a void being applied meanwhile (which deletes it) is waited
   * for and then found, or waits for the command, whose record it then sees (TraineeVoidedFollowUp).
   */
  known(traineeId: string): Statement {
    return { text: `SELECT 1 FROM known_trainees WHERE trainee_id = $1::uuid AND NOT ${parkedFactOf('$1', '$2')} FOR SHARE`, values: [traineeId, this.replicaConsumer] };
  }

  /**
   * A trainee this service does not hold is looked for until it is found, or until every registration
   * trainee-service had accepted when the request arrived has been applied here (CatchUp.lookUp): one
   * registered a moment ago is found however far behind the replica is (an import's rows ahead of it), and
   * "unknown trainee" is said only of an id trainee-service never registered (or voided). Throws FactsNotCaughtUp (503,
   * Retry-After) when the registrations cannot be caught up with in time: never a 404 for a lag. Throws
   * FactsParked (503) while one of the trainee's facts waits here as a dead letter.
   */
  async findCaughtUp(traineeId: string): Promise<KnownTrainee | undefined> {
    const trainee = await this.catchUp.lookUp([TRAINEE_TOPIC], () => this.find(traineeId));
    // Not known here: perhaps because the registration itself is the parked fact.
    if (trainee ? trainee.factsParked : await this.hasParkedFacts(traineeId)) throw new FactsParked(`trainee ${traineeId}'s from trainee-service`);
    return trainee;
  }

  private async hasParkedFacts(traineeId: string): Promise<boolean> {
    return (await this.database.query<{ parked: boolean }>(`SELECT ${parkedFactOf('$1', '$2')} AS parked`, [traineeId.toLowerCase(), this.replicaConsumer])).rows[0].parked;
  }

  /**
   * Which of these trainees have a fact waiting here as a dead letter (their registration itself, perhaps),
   * looked up through `via`; ids in lower case. An import's row of one is refused as the API's command is
   * answered (FactsParked): parkedTraineeRefusal, never "unknown trainee".
   */
  async parkedAmong(traineeIds: string[], via: Sql = this.database): Promise<Set<string>> {
    const ids = [...new Set(traineeIds.map((id) => id.toLowerCase()))];
    if (ids.length === 0) return new Set();
    // Qualified: a bare `id` inside the letters' subquery would be the letter's own id.
    const { rows } = await via.query<{ trainee_id: string }>(`SELECT asked.trainee_id FROM unnest($1::text[]) AS asked(trainee_id) WHERE ${parkedFactOf('asked.trainee_id', '$2')}`, [
      ids,
      this.replicaConsumer,
    ]);
    return new Set(rows.map((row) => row.trainee_id));
  }

  /**
   * Which of these trainees' registrations trainee-service voided, as learnt here (`forgotten_trainees`),
   * looked up through `via`; ids in lower case. A voided trainee is not known (find, known), but what was
   * recorded of them before the void arrived stays, and a service may refuse to add to it.
   */
  async voidedAmong(traineeIds: string[], via: Sql = this.database): Promise<Set<string>> {
    const ids = [...new Set(traineeIds.map((id) => id.toLowerCase()))];
    if (ids.length === 0) return new Set();
    const { rows } = await via.query<{ trainee_id: string }>('SELECT trainee_id FROM forgotten_trainees WHERE voided AND trainee_id = ANY($1::uuid[])', [ids]);
    return new Set(rows.map((row) => row.trainee_id));
  }

  /**
   * Which of these trainees are known here, their rows held (FOR SHARE) until `tx` commits, as known() holds
   * one for a command: an import's enrolments and a void being applied take turns, so the void's follow-up
   * finds what the import enrolled, or the import finds the trainee gone. In id order, as every holder takes them.
   */
  async holdKnown(traineeIds: Iterable<string>, tx: Sql): Promise<Set<string>> {
    const ids = [...new Set([...traineeIds].map((id) => id.toLowerCase()))].sort();
    if (ids.length === 0) return new Set();
    const { rows } = await tx.query<{ trainee_id: string }>('SELECT trainee_id FROM known_trainees WHERE trainee_id = ANY($1::uuid[]) ORDER BY trainee_id FOR SHARE', [ids]);
    return new Set(rows.map((row) => row.trainee_id));
  }

  /** Which of these trainees are not known here, now (no wait), looked up through `via`; their ids in lower case, once each. */
  async unknownAmong(traineeIds: string[], via: Sql = this.database): Promise<string[]> {
    const ids = [...new Set(traineeIds.map((id) => id.toLowerCase()))];
    if (ids.length === 0) return [];
    const { rows } = await via.query<{ trainee_id: string }>('SELECT trainee_id FROM known_trainees WHERE trainee_id = ANY($1::uuid[])', [ids]);
    const known = new Set(rows.map((row) => row.trainee_id));
    return ids.filter((id) => !known.has(id));
  }

  /**
   * Which of many trainees are known here (a batch of an import), waiting for the rest up to REPLICA_WAIT_MS
   * (an import's batch is held first until its registrations are applied: ImportBatchHold);
   * their ids in lower case, as Postgres writes a uuid. Looked up through `tx`, the batch's own
   * transaction (read committed: each look sees what the replica committed since): a batch that holds a
   * lock others wait on with pool connections must not need one more from the pool to finish.
   */
  async waitForAll(traineeIds: string[], tx: Sql): Promise<Set<string>> {
    const ids = [...new Set(traineeIds.map((id) => id.toLowerCase()))];
    let unknown = ids;
    await waitUntil(async () => ((unknown = await this.unknownAmong(ids, tx)).length === 0 ? true : undefined), this.config.replicaWaitMs);
    const missing = new Set(unknown);
    return new Set(ids.filter((id) => !missing.has(id)));
  }
}

/** An import's row of a trainee with a fact parked here (TraineeReplica.parkedAmong): what FactsParked answers the API's command, for one row. */
export const parkedTraineeRefusal = (): FieldRefusal =>
  new FieldRefusal('idNumber', 'facts_not_caught_up', "a fact of this trainee from trainee-service could not be applied here and waits for an operator (a dead letter); upload the row again once it is applied");
