import { Controller, Get } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { actorOf, Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { providerAggregate, providerStreamId } from '../../providers/provider.aggregate';
import { courseAggregate, courseStreamId, refuseCourseReader } from '../course.aggregate';
import { CourseAnswer } from '../../training-answers';

@ApiTags('training')
@Controller('api/v1/courses')
export class GetCourseController {
  constructor(private readonly commands: CommandPipeline) {}

  /** From the course's stream: the seat count a client sees is the one enrolments are checked against. */
  @Get(':id')
  @ApiOperation({ summary: 'Read a course', description: 'The course with its seat count and how many enrolments are assessed and passed.' })
  @Permission('courses:read')
  @ApiOkResponse({ type: CourseAnswer, description: 'The course with its active enrolments, and how many of them are assessed and passed (latest result per enrolment)' })
  @ApiNotFoundResponse({ description: 'No course with this id' })
  @ApiForbiddenResponse({ description: "courses:read: staff of another school, or a bureau officer outside the provider's region" })
  async get(@UuidParam('id') id: string, @CurrentCaller() caller: Caller) {
    const state = await this.commands.existing(mustExist(courseStreamId(id), 'course', id), courseAggregate);
    // The reader rule lives with the course's state (course.aggregate.ts), checked against it here.
    const { providerId } = state.course;
    const providerRegion = caller.role === 'bureau_officer' ? (await this.commands.existing(mustExist(providerStreamId(providerId), 'provider', providerId), providerAggregate)).regionCode : null;
    refuseCourseReader(state, { ...actorOf(caller), regionCode: caller.regionCode }, providerRegion);
    const { course } = state;
    return {
      id,
      providerId: course.providerId,
      title: course.title,
      occupationCode: course.occupationCode,
      occupationEdition: course.occupationEdition,
      kind: course.kind,
      targetLevel: course.targetLevel,
      capacity: course.capacity,
      enrolled: state.enrollments.size,
      assessed: [...state.enrollments.values()].filter((enrollment) => enrollment.assessment).length,
      passed: [...state.enrollments.values()].filter((enrollment) => enrollment.assessment?.passed).length,
      startDate: course.startDate,
      endDate: course.endDate,
      sponsorEmployerId: course.sponsorEmployerId,
    };
  }
}
