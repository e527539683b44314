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
import { RecordStatisticsFact, StatisticsFact, statisticsAggregate, statisticsStreamId } from './statistics-fact';

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
  private readonly recordAll: ApplyTogether<PendingFact | undefined> = async (tx, messages) => {
    const pending = messages.flatMap(({ value, cause }) => (value ? [{ ...value, cause }] : []));
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
function factOf(message: Message): PendingFact | undefined {
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
