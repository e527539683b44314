// What training-service's routes answer, for the OpenAPI document.
import { ApiProperty } from '@nestjs/swagger';
import { OCCUPATION_CODE, OCCUPATION_EDITIONS, SKILL_LEVELS } from '@skills/domain-kernel';
import { patternOf } from '@skills/service-runtime';
import { COURSE_KINDS } from './courses/schedule-course/schedule-course.dto';

export class CourseAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  providerId: string;
  @ApiProperty({ example: '株洲焊工（初级）培训班' })
  title: string;
  @ApiProperty({ pattern: patternOf(OCCUPATION_CODE), example: '6-18-02-04' })
  occupationCode: string;
  @ApiProperty({ enum: OCCUPATION_EDITIONS, example: '2015' })
  occupationEdition: string;
  @ApiProperty({ enum: COURSE_KINDS, example: 'skill' })
  kind: string;
  @ApiProperty({ enum: SKILL_LEVELS, example: 'junior', required: false, description: 'The level the course prepares for, when it names one' })
  targetLevel?: string;
  @ApiProperty({ example: 40 })
  capacity: number;
  @ApiProperty({ example: 38, description: 'Active enrolments' })
  enrolled: number;
  @ApiProperty({ example: 36 })
  assessed: number;
  @ApiProperty({ example: 33, description: 'Latest result per enrolment' })
  passed: number;
  @ApiProperty({ format: 'date', example: '2021-03-15' })
  startDate: string;
  @ApiProperty({ format: 'date', example: '2021-04-30' })
  endDate: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, required: false })
  sponsorEmployerId?: string | null;
}

export class EnrolmentAnswer {
  @ApiProperty({ format: 'uuid' })
  enrollmentId: string;
}

export class AssessmentAnswer {
  @ApiProperty({ format: 'uuid' })
  assessmentId: string;
}
