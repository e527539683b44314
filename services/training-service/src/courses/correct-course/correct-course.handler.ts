import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { FieldRefusal } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { CorrectableCourseFacts, CORRECTABLE_COURSE_FIELDS, courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { CorrectCourseDto, CorrectedCourseAnswer } from './correct-course.dto';

/**
 * A course scheduled with a mistake corrected by its school: the course's state, its list row and, by
 * CourseCorrected, every other service that keeps a corrected fact read the new values. The aggregate
 * judges who may and what the course's enrolments and results allow.
 */
@Injectable()
export class CorrectCourseHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(courseId: string, body: CorrectCourseDto, caller: Caller): Promise<CorrectedCourseAnswer> {
    const correction: CorrectableCourseFacts = Object.fromEntries(CORRECTABLE_COURSE_FIELDS.flatMap((field) => (body[field] !== undefined ? [[field, body[field]]] : [])));
    if (Object.keys(correction).length === 0) throw new FieldRefusal('title', 'nothing_to_correct', 'a correction names at least one of title, capacity, startDate and endDate');
    const { events } = await this.commands.handle({
      stream: mustExist(courseStreamId(courseId), 'course', courseId),
      aggregate: courseAggregate,
      command: { type: 'CorrectCourse', correction, reason: body.reason, by: actorOf(caller) },
      integrationEvents: courseIntegrationEvents,
    });
    const [corrected] = events;
    return { id: courseId, corrected: corrected?.type === 'CourseCorrected' ? CORRECTABLE_COURSE_FIELDS.filter((field) => field in corrected.data.after) : [] };
  }
}
