import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { providerAggregate, providerStreamId } from '../providers/provider.aggregate';
import { courseAggregate, courseStreamId, refuseCourseReader, refuseProviderCoursesReader, ScheduledCourse } from './course.aggregate';

/** Where a course stands on a day: before its first day, from its first to its last, after its last. */
export const COURSE_STATUSES = ['upcoming', 'running', 'ended'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

export function courseStatusOn(course: { startDate: string; endDate: string }, day: string): CourseStatus {
  if (day < course.startDate) return 'upcoming';
  return day <= course.endDate ? 'running' : 'ended';
}

/** A course as lists show it (GET /api/v1/courses items, the roster's `course`). */
export interface CourseSummary {
  id: string;
  providerId: string;
  title: string;
  occupationCode: string;
  kind: string;
  targetLevel?: string;
  capacity: number;
  enrolled: number;
  assessed: number;
  passed: number;
  startDate: string;
  endDate: string;
  status: CourseStatus;
}

/** From the course's state: counts over active enrolments, a result once per enrolment (as GET /api/v1/courses/{id}). */
export function summaryOf({ course, enrollments }: ScheduledCourse, today: string): CourseSummary {
  const active = [...enrollments.values()];
  return {
    id: course.courseId,
    providerId: course.providerId,
    title: course.title,
    occupationCode: course.occupationCode,
    kind: course.kind,
    ...(course.targetLevel ? { targetLevel: course.targetLevel } : {}),
    capacity: course.capacity,
    enrolled: active.length,
    assessed: active.filter((enrollment) => enrollment.assessment).length,
    passed: active.filter((enrollment) => enrollment.assessment?.passed).length,
    startDate: course.startDate,
    endDate: course.endDate,
    status: courseStatusOn(course, today),
  };
}

/**
 * Who may read a provider's courses and rosters (refuseProviderCoursesReader, domain.md section 9),
 * judged with the provider's region from its own stream when the caller is a bureau officer.
 */
@Injectable()
export class CourseReader {
  constructor(private readonly commands: CommandPipeline) {}

  /** The course, once the caller may read it: 404 if there is none, 403 naming courses:read if not theirs. */
  async readableCourse(courseId: string, caller: Caller): Promise<ScheduledCourse> {
    const state = await this.commands.existing(mustExist(courseStreamId(courseId), 'course', courseId), courseAggregate);
    refuseCourseReader(state, { ...actorOf(caller), regionCode: caller.regionCode }, await this.regionFor(state.course.providerId, caller));
    return state;
  }

  /** Refuses (403 courses:read) a caller who may not read the provider's courses; 404 for a bureau officer naming no provider. */
  async refuseUnlessReadsProvider(providerId: string, caller: Caller): Promise<void> {
    refuseProviderCoursesReader(providerId, { ...actorOf(caller), regionCode: caller.regionCode }, await this.regionFor(providerId, caller));
  }

  /** The provider's region, for a bureau officer's rule only (other callers are judged without it). */
  private async regionFor(providerId: string, caller: Caller): Promise<string | null> {
    if (caller.role !== 'bureau_officer') return null;
    return (await this.commands.existing(mustExist(providerStreamId(providerId), 'provider', providerId), providerAggregate)).regionCode;
  }
}
