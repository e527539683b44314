import { Module } from '@nestjs/common';
import { ServiceRuntimeModule, traineeReplicaFor } from '@skills/service-runtime';
import { RegisterEmployerController } from './employers/register-employer/register-employer.controller';
import { RegisterEmployerHandler } from './employers/register-employer/register-employer.handler';
import { placementMigrations } from './placement.migrations';
import { ListPlacementsController } from './placements/board/list-placements.controller';
import { placementBoard } from './placements/board/placement-board.projection';
import { ClosePlacementController } from './placements/close-placement/close-placement.controller';
import { ClosePlacementHandler } from './placements/close-placement/close-placement.handler';
import { EndEmploymentController } from './placements/end-employment/end-employment.controller';
import { EndEmploymentHandler } from './placements/end-employment/end-employment.handler';
import { HireTraineeController } from './placements/hire-trainee/hire-trainee.controller';
import { HireTraineeHandler } from './placements/hire-trainee/hire-trainee.handler';
import { employmentList } from './placements/employments/employment-list.projection';
import { ListEmploymentsController } from './placements/employments/list-employments.controller';
import { WageInsightController } from './placements/wages/wage-insight.controller';
import { PostPlacementController } from './placements/post-placement/post-placement.controller';
import { PostPlacementHandler } from './placements/post-placement/post-placement.handler';
import { VoidEmploymentController } from './placements/void-employment/void-employment.controller';
import { VoidEmploymentHandler } from './placements/void-employment/void-employment.handler';
import { PlacementReplicaConsumers } from './replicas/replica.consumers';
import { TraineeLevels } from './replicas/trainee-levels';

const traineeReplica = traineeReplicaFor('placement');

/** Employers, placements, hires and employments. Imported by its own main and by the platform. */
@Module({
  imports: [ServiceRuntimeModule.forService({ name: 'placement', migrations: placementMigrations, projections: [placementBoard, employmentList] })],
  controllers: [
    RegisterEmployerController,
    PostPlacementController,
    WageInsightController,
    ListPlacementsController,
    ListEmploymentsController,
    ClosePlacementController,
    HireTraineeController,
    EndEmploymentController,
    VoidEmploymentController,
    PlacementReplicaConsumers,
    ...traineeReplica.controllers,
  ],
  providers: [RegisterEmployerHandler, PostPlacementHandler, ClosePlacementHandler, HireTraineeHandler, EndEmploymentHandler, VoidEmploymentHandler, TraineeLevels, ...traineeReplica.providers],
})
export class PlacementModule {}
