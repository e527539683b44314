import { Module } from '@nestjs/common';
import { ServiceRuntimeModule } from '@skills/service-runtime';
import { RegisterEmployerController } from './employers/register-employer/register-employer.controller';
import { RegisterEmployerHandler } from './employers/register-employer/register-employer.handler';
import { placementMigrations } from './placement.migrations';
import { ListPlacementsController } from './placements/board/list-placements.controller';
import { placementBoard } from './placements/board/placement-board.projection';
import { ClosePlacementController } from './placements/close-placement/close-placement.controller';
import { EndEmploymentController } from './placements/end-employment/end-employment.controller';
import { HireTraineeController } from './placements/hire-trainee/hire-trainee.controller';
import { HireTraineeHandler } from './placements/hire-trainee/hire-trainee.handler';
import { PostPlacementController } from './placements/post-placement/post-placement.controller';
import { PlacementReplicaConsumers } from './replicas/replica.consumers';
import { TraineeFacts } from './replicas/trainees';

/** Employers, placements, hires and employments. Imported by its own main and by the platform. */
@Module({
  imports: [ServiceRuntimeModule.forService({ name: 'placement', migrations: placementMigrations, projections: [placementBoard] })],
  controllers: [
    RegisterEmployerController,
    PostPlacementController,
    ListPlacementsController,
    ClosePlacementController,
    HireTraineeController,
    EndEmploymentController,
    PlacementReplicaConsumers,
  ],
  providers: [RegisterEmployerHandler, HireTraineeHandler, TraineeFacts],
})
export class PlacementModule {}
