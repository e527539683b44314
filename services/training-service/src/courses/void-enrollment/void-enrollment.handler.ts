import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { forgetImportedRowsOf } from '../import-enrolments/imported-enrolment-rows';
import { VoidEnrollmentDto } from './void-enrollment.dto';

/**
 * An enrolment recorded in error (the wrong person, the wrong course) leaves the platform with its results,
 * as if never recorded: off the course's seats, roster and counts here, and, by EnrollmentVoided, off every
 * other service's. In the void's transaction the import rows that recorded it are forgotten, so the same row
 * (or the corrected one) is recorded by an import anew. A withdrawal, by contrast, keeps the enrolment and
 * its results on record.
 */
@Injectable()
export class VoidEnrollmentHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(courseId: string, traineeId: string, body: VoidEnrollmentDto, caller: Caller): Promise<{ enrollmentId: string; status: 'voided' }> {
    const { events } = await this.commands.handle({
      stream: mustExist(courseStreamId(courseId), 'course', courseId),
      aggregate: courseAggregate,
      command: { type: 'VoidEnrollment', traineeId, enrollmentId: body.enrollmentId, reason: body.reason, by: actorOf(caller) },
      sideWrites: (decided) => decided.flatMap((event) => (event.type === 'EnrollmentVoided' ? [forgetImportedRowsOf(event.data)] : [])),
      integrationEvents: courseIntegrationEvents,
    });
    const [voided] = events;
    return { enrollmentId: voided.type === 'EnrollmentVoided' ? voided.data.enrollmentId : '', status: 'voided' };
  }
}
