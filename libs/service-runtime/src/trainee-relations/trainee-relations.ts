import { Inject, Injectable } from '@nestjs/common';
import { CERTIFICATION_TOPIC, PLACEMENT_TOPIC, TRAINEE_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import type { CertificationIntegrationEvent, IntegrationEnvelope, PlacementIntegrationEvent, TraineeIntegrationEvent, TrainingIntegrationEvent } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { unappliedLetterAboutTrainee } from '@skills/messaging';
import { Database } from '@skills/postgres';
import { CatchUp, FactsParked } from '../catch-up';
import { TRAINEE_RELATIONS_CONSUMER, type TraineeRelationsConsumerOptions } from './trainee-relations.options';
import { mayRead, Reader } from './may-read';
import type { TraineeRelation, TraineeRelationVoided } from './relating-facts';

type Fact = TraineeIntegrationEvent | TrainingIntegrationEvent | CertificationIntegrationEvent | PlacementIntegrationEvent;
type RelatingType = 'TraineeRegistered' | 'TraineeEnrolled' | 'EnrollmentVoided' | 'LevelCertified' | 'TraineeHired' | 'EmploymentVoided';
type PayloadOf<Type extends RelatingType> = Extract<Fact, { type: Type }>['payload'];

/**
 * Each fact that relates an organisation to a trainee (domain.md section 9), or voids one that did, the one
 * table of them: its topic, and the relation it makes or voids: the organisation that registered them, the
 * provider that enrolled them (each enrolment), the employer that hired them (each hire). An enrolment or
 * hire recorded in error and voided relates nobody (relating-facts.ts). The evaluator that certified them is
 * related by each certificate's recording instead (certificate-relations.ts), which its void
 * (CertificateVoided, on the same topic) takes back: no other fact names an evaluator.
 */
const RELATING_FACT: { [Type in RelatingType]: { topic: string; relationOf?(payload: PayloadOf<Type>): TraineeRelation | TraineeRelationVoided | null } } = {
  // A platform admin registers for no organisation.
  TraineeRegistered: { topic: TRAINEE_TOPIC, relationOf: ({ traineeId, registeredBy }) => (registeredBy ? { traineeId, organisationId: registeredBy } : null) },
  TraineeEnrolled: { topic: TRAINING_TOPIC, relationOf: ({ traineeId, enrollmentId, course }) => ({ traineeId, organisationId: course.providerId, by: { kind: 'enrollment', id: enrollmentId } }) },
  EnrollmentVoided: {
    topic: TRAINING_TOPIC,
    relationOf: ({ traineeId, enrollmentId, course }) => ({ traineeId, organisationId: course.providerId, by: { kind: 'enrollment', id: enrollmentId }, voided: true }),
  },
  LevelCertified: { topic: CERTIFICATION_TOPIC },
  TraineeHired: { topic: PLACEMENT_TOPIC, relationOf: ({ traineeId, employmentId, employerId }) => ({ traineeId, organisationId: employerId, by: { kind: 'employment', id: employmentId } }) },
  EmploymentVoided: {
    topic: PLACEMENT_TOPIC,
    relationOf: ({ traineeId, employmentId, employerId }) => ({ traineeId, organisationId: employerId, by: { kind: 'employment', id: employmentId }, voided: true }),
  },
};

const isRelating = (fact: Fact): fact is Extract<Fact, { type: RelatingType }> => Object.hasOwn(RELATING_FACT, fact?.type);

/** The relation a fact other than a certificate makes or voids (RELATING_FACT), if it makes or voids one. */
export function relatedOrganisationOf(message: IntegrationEnvelope): TraineeRelation | TraineeRelationVoided | undefined {
  const fact = message as Fact;
  if (!isRelating(fact)) return undefined;
  const relationOf = RELATING_FACT[fact.type].relationOf as ((payload: typeof fact.payload) => TraineeRelation | TraineeRelationVoided | null) | undefined;
  const relation = relationOf?.(fact.payload);
  return relation?.organisationId ? relation : undefined;
}

/**
 * What a decision about a trainee waits for before it judges an organisation's staff (assertMayReadCaughtUp),
 * in the words of its OpenAPI 503 (ApiWaitsForFacts).
 */
export const RELATING_FACTS = "for an organisation's staff (whose relation a fact on its way may make, or a void take back), the facts that relate organisations to trainees (enrolments, certifications, hires; registrations, outside trainee-service)";

/**
 * Applies `mayRead` to a service's reads of a trainee with the organisations related to them
 * (`trainee_relations`, kept by TraineeRelationsConsumer and by trainee-service's registration).
 */
@Injectable()
export class TraineeRelations {
  /** The topics whose relating facts reach this service's relations through its consumer (not those it relates with the fact itself). */
  private readonly relatingTopics: string[];
  /** The consumer's inbox: its dead letters are the relating facts that could not be applied here. */
  private readonly inbox: string;

  constructor(
    private readonly database: Database,
    private readonly catchUp: CatchUp,
    @Inject(TRAINEE_RELATIONS_CONSUMER) options: TraineeRelationsConsumerOptions,
  ) {
    this.inbox = options.inbox;
    const ownFacts = options.relatedWithTheFact ?? [];
    this.relatingTopics = [...new Set(Object.entries(RELATING_FACT).flatMap(([type, { topic }]) => (ownFacts.includes(type) ? [] : [topic])))];
  }

  async relatedOrganisations(traineeId: string): Promise<string[]> {
    const { rows } = await this.database.query<{ organisation_id: string }>('SELECT organisation_id FROM trainee_relations WHERE trainee_id = $1', [traineeId]);
    return rows.map((row) => row.organisation_id);
  }

  /**
   * A caller who may not read the trainee is answered 404, as for a trainee that does not exist.
   * `alsoRelated`: organisations the service's own records relate to the trainee before the message
   * that relates them here has come back (e.g. the evaluator of a certificate just issued).
   */
  async assertMayRead(caller: Reader, traineeId: string, alsoRelated: readonly string[] = []): Promise<void> {
    if (!(await this.mayRead(caller, traineeId, alsoRelated))) throw new UnknownEntity('trainee', traineeId);
  }

  /**
   * As assertMayRead, for a decision (a command about the trainee, a read with ?consistent=true). A caller
   * who is an organisation's staff is judged only once the facts that relate organisations to trainees have
   * caught up here, whether they look related as far as this service knows or not: the fact relating them (a
   * school's enrolment of someone another registered, a hire) may still be on its way, and so may the void
   * that takes their relation back (EnrollmentVoided, EmploymentVoided), which must not be allowed past (a
   * school that voided its enrolment of the wrong trainee issuing them a code, reading them "complete up to"
   * now). A 503 (FactsNotCaughtUp) if they cannot in time, and FactsParked (503) while a fact about the
   * trainee waits here as a dead letter of the relations' consumer and the caller is not related (it may be
   * the one relating them; a related caller is let through, as the relations stand). The platform admin and
   * a trainee (about themself or not) are judged at once: no relating fact changes their answer.
   *
   * The cost: every such decision by staff asks how far the relating topics are (CatchUp.facts, which
   * returns at its first look when they have caught up: in one process a query or two per topic, on Kafka
   * the sources' outbox positions and the broker's offsets), and waits when they lag.
   */
  async assertMayReadCaughtUp(caller: Reader, traineeId: string, alsoRelated: readonly string[] = []): Promise<void> {
    if (caller.role === 'platform_admin' || caller.role === 'trainee' || caller.organisationId === null) {
      if (await this.mayRead(caller, traineeId, alsoRelated)) return;
      throw new UnknownEntity('trainee', traineeId);
    }
    await this.catchUp.facts(this.relatingTopics);
    if (await this.mayRead(caller, traineeId, alsoRelated)) return;
    if (await this.relatingFactParked(traineeId)) throw new FactsParked(`trainee ${traineeId}'s relations to organisations`);
    throw new UnknownEntity('trainee', traineeId);
  }

  /**
   * Whether a message about the trainee waits unapplied as a dead letter of the relations' consumer. Found
   * by the payload's trainee: training's messages are keyed by their course, placement's by the employment.
   */
  private async relatingFactParked(traineeId: string): Promise<boolean> {
    const { rows } = await this.database.query<{ parked: boolean }>(
      `SELECT ${unappliedLetterAboutTrainee('$1', '$2')} AS parked`,
      [this.inbox, traineeId],
    );
    return rows[0].parked;
  }

  private async mayRead(caller: Reader, traineeId: string, alsoRelated: readonly string[]): Promise<boolean> {
    const related = caller.role === 'platform_admin' || caller.role === 'trainee' ? [] : [...alsoRelated, ...(await this.relatedOrganisations(traineeId))];
    return mayRead(caller, traineeId, related);
  }
}
