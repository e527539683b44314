import { Module } from '@nestjs/common';
import { ServiceRuntimeModule } from '@skills/service-runtime';
import { traineeMigrations } from './trainee.migrations';
import { GetTraineeController } from './trainees/get-trainee/get-trainee.controller';
import { RegisterTraineeController } from './trainees/register-trainee/register-trainee.controller';
import { RegisterTraineeHandler } from './trainees/register-trainee/register-trainee.handler';
import { traineeDirectory } from './trainees/trainee-directory.projection';

/** The real-name registry. Imported by its own main (standalone on Kafka) and by the platform. */
@Module({
  imports: [ServiceRuntimeModule.forService({ name: 'trainee', migrations: traineeMigrations, projections: [traineeDirectory] })],
  controllers: [RegisterTraineeController, GetTraineeController],
  providers: [RegisterTraineeHandler],
})
export class TraineeModule {}
