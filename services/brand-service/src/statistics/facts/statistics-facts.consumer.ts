import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  CERTIFICATION_TOPIC,
  CertificationIntegrationEvent,
  IntegrationEnvelope,
  PLACEMENT_TOPIC,
  PlacementIntegrationEvent,
  TRAINEE_TOPIC,
  TraineeIntegrationEvent,
  TRAINING_TOPIC,
  TrainingIntegrationEvent,
} from '@skills/contracts';
import { CommandPipeline, StreamCommand } from '@skills/event-sourcing';
import { ApplyTogether, MessageConsumer } from '@skills/messaging';
import { OrganisationReplica } from '@skills/service-runtime';
import { forgetErasedCategories } from './erased-categories';
import { PoolClient } from 'pg';
import { RecordStatisticsFact, StatisticsCourseCorrected, statisticsCourseAggregate, statisticsCourseStreamId, StatisticsFact, statisticsAggregate, statisticsStreamId } from './statistics-fact';

export const STATISTICS_CONSUMER = 'brand.statistics-facts';

/** The topics the figures are learnt from: what a consistent read waits for. */
export const STATISTICS_TOPICS = [TRAINING_TOPIC, CERTIFICATION_TOPIC, PLACEMENT_TOPIC, TRAINEE_TOPIC];

type Message = TrainingIntegrationEvent | CertificationIntegrationEvent | PlacementIntegrationEvent | TraineeIntegrationEvent;

/**
 * Records in each trainee's statistics stream what the figures count (statistics-fact.ts), in the
 * inbox's transaction: each message once, whatever is redelivered, a chunk's messages together.
 */
@Controller()
export class StatisticsFactsConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    private readonly commands: CommandPipeline,
    private readonly organisations: OrganisationReplica,
  ) {}

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

  @EventPattern(TRAINEE_TOPIC)
  onTraineeEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    return this.consume(TRAINEE_TOPIC, envelope);
  }

  private consume(topic: string, envelope: IntegrationEnvelope): Promise<void> {
    return this.consumer.consumeTogether(STATISTICS_CONSUMER, topic, envelope, (message) => factOf(message as Message), this.recordAll);
  }

  /**
   * In the inbox's transaction: the facts and their messages' inbox rows commit together. A chunk's
   * facts (an import's registrations or certificates) are recorded by one batch of commands: the
   * trainees' statistics streams locked, read and appended to at once (decideAll; a trainee's facts
   * arrive on four topics at once, and the stream's lock takes them one batch at a time), each fact
   * recorded as caused by its own message. decideAll appends stream by stream, so within a chunk the
   * facts' log order is by trainee, each trainee's in the order delivered.
   */
  private readonly recordAll: ApplyTogether<PendingFact | PendingCourseCorrection | undefined> = async (tx, messages) => {
    const pending = await withCourseCorrections(tx, this.commands, messages);
    if (pending.length === 0) return;
    // Messages published before they carried the organisation's region: the organisation as this service
    // knows it (registered long before its first fact); unknown, the fact counts in the country only.
    const regions = await this.organisations.regionsOf(tx, pending.flatMap(({ regionOf }) => (regionOf ? [regionOf] : [])));
    const commands: StreamCommand<RecordStatisticsFact>[] = pending.map(({ traineeId, fact, regionOf, cause }) => ({
      streamId: statisticsStreamId(traineeId),
      command: { type: 'RecordStatisticsFact', traineeId, fact: regionOf ? withRegion(fact, regions.get(regionOf) ?? null) : fact },
      caller: cause,
    }));
    const outcomes = await this.commands.decideAllInTransaction(tx, { aggregate: statisticsAggregate, commands });
    // The aggregate refuses nothing; were it to, the message would be retried alone, then parked.
    for (const outcome of outcomes) if ('refusal' in outcome) throw outcome.refusal;
    // After the appends: a registration of the same chunk (or one retried after the erasure) is emptied too.
    const categorised = pending.flatMap(({ traineeId, fact }) => (fact.kind === 'categories' ? [statisticsStreamId(traineeId)] : []));
    if (categorised.length > 0) await forgetErasedCategories(tx, categorised);
  };
}

/** A fact as its message tells it; `regionOf`: the organisation whose region it counts by, where the message predates that field. */
interface PendingFact {
  traineeId: string;
  fact: StatisticsFact;
  regionOf?: string;
}

/** A course's correction of what the figures keep of it (its title, its end date): a fact of every trainee with a result of the course. */
interface PendingCourseCorrection {
  correction: StatisticsCourseCorrected['data'];
}

type Cause = Parameters<ApplyTogether<unknown>>[1][number]['cause'];

/**
 * The chunk's facts, each course correction among them recorded in its course's stream and made a fact of every
 * trainee with a result of the course (in the log, or earlier in the chunk); and to each result of a course
 * corrected before it with a higher course version (a message parked and retried after its correction), that
 * correction added as a fact of the trainee. Each once per trainee: the statistics stream records a message once.
 */
async function withCourseCorrections(tx: PoolClient, commands: CommandPipeline, messages: Parameters<ApplyTogether<PendingFact | PendingCourseCorrection | undefined>>[1]): Promise<Array<PendingFact & { cause: Cause }>> {
  const pending: Array<PendingFact & { cause: Cause }> = [];
  const added = new Set<string>();
  const add = (each: PendingFact & { cause: Cause }) => {
    const key = `${each.traineeId}\t${each.fact.sourceEventId}`;
    if (added.has(key)) return;
    added.add(key);
    pending.push(each);
  };
  const correctionFact = (correction: StatisticsCourseCorrected['data']): StatisticsFact => ({ kind: 'course_correction', ...correction });
  for (const { value, cause } of messages) {
    if (!value) continue;
    if (!('correction' in value)) {
      add({ ...value, cause });
      continue;
    }
    const { correction } = value;
    const outcomes = await commands.decideAllInTransaction(tx, {
      aggregate: statisticsCourseAggregate,
      commands: [{ streamId: statisticsCourseStreamId(correction.courseId), command: { type: 'RecordCourseCorrection', correction }, caller: cause }],
    });
    for (const outcome of outcomes) if ('refusal' in outcome) throw outcome.refusal;
    const trainees = new Set(await traineesAssessedIn(tx, correction.courseId));
    for (const earlier of pending) if (earlier.fact.kind === 'assessment' && earlier.fact.courseId === correction.courseId) trainees.add(earlier.traineeId);
    for (const traineeId of trainees) add({ traineeId, fact: correctionFact(correction), cause });
  }
  const results = pending.flatMap((each) => (each.fact.kind === 'assessment' ? [{ traineeId: each.traineeId, fact: each.fact, cause: each.cause }] : []));
  if (results.length === 0) return pending;
  const corrections = await correctionsOf(tx, [...new Set(results.map((each) => each.fact.courseId))]);
  for (const { traineeId, fact, cause } of results)
    for (const correction of corrections.get(fact.courseId) ?? []) if (correction.version > fact.version) add({ traineeId, fact: correctionFact(correction), cause });
  return pending;
}

/** The trainees with a result of the course in the figures' log (rare: a course is corrected seldom). */
async function traineesAssessedIn(tx: PoolClient, courseId: string): Promise<string[]> {
  const { rows } = await tx.query<{ trainee_id: string }>(
    `SELECT DISTINCT data ->> 'traineeId' AS trainee_id FROM events
      WHERE event_type = 'StatisticsFactRecorded' AND data #>> '{fact,kind}' = 'assessment' AND data #>> '{fact,courseId}' = $1`,
    [courseId],
  );
  return rows.map((row) => row.trainee_id);
}

/** Each course's corrections as recorded in its stream. */
async function correctionsOf(tx: PoolClient, courseIds: string[]): Promise<Map<string, StatisticsCourseCorrected['data'][]>> {
  const { rows } = await tx.query<{ data: StatisticsCourseCorrected['data'] }>(`SELECT data FROM events WHERE stream_id = ANY($1::text[]) AND event_type = 'StatisticsCourseCorrected'`, [
    courseIds.map(statisticsCourseStreamId),
  ]);
  const corrections = new Map<string, StatisticsCourseCorrected['data'][]>();
  for (const { data } of rows) corrections.set(data.courseId, [...(corrections.get(data.courseId) ?? []), data]);
  return corrections;
}

function withRegion(fact: StatisticsFact, regionCode: string | null): StatisticsFact {
  switch (fact.kind) {
    case 'assessment':
      return { ...fact, providerRegionCode: regionCode };
    case 'certificate':
      return { ...fact, evaluatorRegionCode: regionCode };
    case 'hire':
      return { ...fact, employerRegionCode: regionCode };
    default:
      return fact;
  }
}

/** What a message tells the figures (taken as the message is handed over, so a malformed one is applied and parked alone); nothing for the rest. */
function factOf(message: Message): PendingFact | PendingCourseCorrection | undefined {
  const sourceEventId = message.eventId;
  switch (message.type) {
    case 'AssessmentRecorded': {
      const { payload } = message;
      const { course } = payload;
      return {
        traineeId: payload.traineeId,
        ...(course.providerRegionCode == null ? { regionOf: course.providerId } : {}),
        fact: {
          kind: 'assessment',
          sourceEventId,
          enrollmentId: payload.enrollmentId,
          courseId: payload.courseId,
          courseTitle: course.title,
          courseEndDate: course.endDate ?? null,
          providerId: course.providerId,
          providerRegionCode: course.providerRegionCode ?? null,
          occupationCode: course.occupationCode,
          courseKind: course.kind,
          assessedOn: payload.assessedOn,
          passed: payload.passed,
          version: message.aggregateVersion,
        },
      };
    }
    case 'LevelCertified': {
      const { payload } = message;
      return {
        traineeId: payload.traineeId,
        ...(payload.evaluatorRegionCode == null ? { regionOf: payload.evaluatorId } : {}),
        fact: {
          kind: 'certificate',
          sourceEventId,
          certificateNumber: payload.certificateNumber,
          occupationCode: payload.occupationCode,
          level: payload.level,
          route: payload.route,
          evaluatorRegionCode: payload.evaluatorRegionCode ?? null,
          certifiedOn: payload.certifiedOn,
          ...(payload.recording == null ? {} : { recording: payload.recording }),
        },
      };
    }
    case 'CertificateRevoked': {
      const { payload } = message;
      return {
        traineeId: payload.traineeId,
        fact: { kind: 'revocation', sourceEventId, certificateNumber: payload.certificateNumber, revokedOn: payload.revokedOn, ...(payload.recording == null ? {} : { recording: payload.recording }) },
      };
    }
    case 'CertificateVoided': {
      const { payload } = message;
      return {
        traineeId: payload.traineeId,
        fact: { kind: 'void', sourceEventId, certificateNumber: payload.certificateNumber, voidedOn: payload.voidedOn, ...(payload.recording == null ? {} : { recording: payload.recording }) },
      };
    }
    case 'TraineeHired': {
      const { payload } = message;
      return {
        traineeId: payload.traineeId,
        ...(payload.employerRegionCode == null ? { regionOf: payload.employerId } : {}),
        fact: {
          kind: 'hire',
          sourceEventId,
          employmentId: payload.employmentId,
          occupationCode: payload.occupationCode,
          employerRegionCode: payload.employerRegionCode ?? null,
          startDate: payload.startDate,
          monthlyWage: payload.monthlyWage,
        },
      };
    }
    case 'EmploymentEnded': {
      const { payload } = message;
      return {
        traineeId: payload.traineeId,
        fact: { kind: 'employment_end', sourceEventId, employmentId: payload.employmentId, startDate: payload.startDate, endDate: payload.endDate },
      };
    }
    case 'EmploymentVoided':
      return { traineeId: message.payload.traineeId, fact: { kind: 'employment_void', sourceEventId, employmentId: message.payload.employmentId, voidedOn: message.payload.voidedOn } };
    // The figures keep a course's title and end date (a school's outcomes); its capacity and start they keep not.
    case 'CourseCorrected': {
      const { courseId, after } = message.payload;
      if (after.title === undefined && after.endDate === undefined) return undefined;
      return {
        correction: {
          courseId,
          sourceEventId,
          version: message.aggregateVersion,
          ...(after.title !== undefined ? { title: after.title } : {}),
          ...(after.endDate !== undefined ? { endDate: after.endDate } : {}),
        },
      };
    }
    case 'EnrollmentVoided':
      return { traineeId: message.payload.traineeId, fact: { kind: 'enrollment_void', sourceEventId, enrollmentId: message.payload.enrollmentId, voidedOn: message.payload.voidedOn } };
    case 'TraineeRegistered':
      return { traineeId: message.payload.traineeId, fact: { kind: 'categories', sourceEventId, categories: message.payload.categories ?? [] } };
    // Some categories tell of health or hardship: an erased person leaves the breakdowns (the totals keep them),
    // for good: marked, no registration's categories count after it (TraineeFacts), and the log keeps none
    // (forgetErasedCategories). A registration voided (made in error) destroyed the personal data as an
    // erasure does: its person leaves the breakdowns alike, and counts only through facts of theirs that stand.
    case 'PersonalDataErased':
    case 'TraineeRegistrationVoided':
      return { traineeId: message.payload.traineeId, fact: { kind: 'categories', sourceEventId, categories: [], erased: true } };
    default:
      return undefined;
  }
}
