import { Module } from '@nestjs/common';
import { TRAINING_TOPIC } from '@skills/contracts';
import { importRowsFor, organisationReplicaFor, ServiceRuntimeModule, traineeReplicaFor } from '@skills/service-runtime';
import { CourseReader } from './courses/course-reader';
import { courseRosters } from './courses/course-rosters.projection';
import { courseSummaries } from './courses/course-summaries.projection';
import { CorrectCourseController } from './courses/correct-course/correct-course.controller';
import { CorrectCourseHandler } from './courses/correct-course/correct-course.handler';
import { EnrollTraineeController } from './courses/enroll-trainee/enroll-trainee.controller';
import { EnrollTraineeHandler } from './courses/enroll-trainee/enroll-trainee.handler';
import { GetCourseController } from './courses/get-course/get-course.controller';
import { EnrolmentsImportApplier } from './courses/import-enrolments/enrolments-import.applier';
import { ImportedEnrolmentRows } from './courses/import-enrolments/imported-enrolment-rows';
import { ListCoursesController } from './courses/list-courses/list-courses.controller';
import { ListEnrollmentsController } from './courses/list-enrollments/list-enrollments.controller';
import { RecordAssessmentController } from './courses/record-assessment/record-assessment.controller';
import { RecordAssessmentHandler } from './courses/record-assessment/record-assessment.handler';
import { ScheduleCourseController } from './courses/schedule-course/schedule-course.controller';
import { ScheduleCourseHandler } from './courses/schedule-course/schedule-course.handler';
import { WithdrawEnrollmentController } from './courses/withdraw-enrollment/withdraw-enrollment.controller';
import { WithdrawEnrollmentHandler } from './courses/withdraw-enrollment/withdraw-enrollment.handler';
import { WithdrawVoidedEnrolments } from './courses/withdraw-voided-trainee/withdraw-voided-enrolments';
import { VoidEnrollmentController } from './courses/void-enrollment/void-enrollment.controller';
import { VoidEnrollmentHandler } from './courses/void-enrollment/void-enrollment.handler';
import { RegisterProviderController } from './providers/register-provider/register-provider.controller';
import { RegisterProviderHandler } from './providers/register-provider/register-provider.handler';
import { trainingMigrations } from './training.migrations';

/** Trainee-service's registrations; a void learnt frees the seats the trainee took meanwhile. */
const traineeReplica = traineeReplicaFor('training', { onVoided: WithdrawVoidedEnrolments });
/** Which employers exist: a course's sponsoring employer must be one. */
const organisations = organisationReplicaFor('training');
/** A school's imports of enrolments and results into its courses, submitted by trainee-service (api.md, Imports). */
const imports = importRowsFor('training', TRAINING_TOPIC, [EnrolmentsImportApplier]);

/** Providers, courses, enrolments and assessments. Imported by its own main and by the platform. */
@Module({
  imports: [ServiceRuntimeModule.forService({ name: 'training', migrations: trainingMigrations, projections: [courseSummaries, courseRosters] })],
  controllers: [
    RegisterProviderController,
    ScheduleCourseController,
    ListCoursesController,
    GetCourseController,
    ListEnrollmentsController,
    EnrollTraineeController,
    WithdrawEnrollmentController,
    VoidEnrollmentController,
    CorrectCourseController,
    RecordAssessmentController,
    ...traineeReplica.controllers,
    ...organisations.controllers,
    ...imports.controllers,
  ],
  providers: [CourseReader, RegisterProviderHandler, ScheduleCourseHandler, EnrollTraineeHandler, WithdrawEnrollmentHandler, VoidEnrollmentHandler, CorrectCourseHandler, ImportedEnrolmentRows, RecordAssessmentHandler, ...traineeReplica.providers, ...organisations.providers, ...imports.providers],
})
export class TrainingModule {}
