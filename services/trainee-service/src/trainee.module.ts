import { Module } from '@nestjs/common';
import { ServiceRuntimeModule } from '@skills/service-runtime';
import { ArchiveConsumer } from './archive/archive.consumer';
import { GetArchiveController } from './archive/get-archive/get-archive.controller';
import { traineeArchive } from './archive/trainee-archive.projection';
import { ErasePersonalDataController } from './personal-data/erase-personal-data/erase-personal-data.controller';
import { ErasePersonalDataHandler } from './personal-data/erase-personal-data/erase-personal-data.handler';
import { PersonalDataKeys } from './personal-data/personal-data-keys';
import { traineeMigrations } from './trainee.migrations';
import { GetTraineeController } from './trainees/get-trainee/get-trainee.controller';
import { LookupTraineeController } from './trainees/lookup-trainee/lookup-trainee.controller';
import { LookupTraineeHandler } from './trainees/lookup-trainee/lookup-trainee.handler';
import { RegisterTraineeController } from './trainees/register-trainee/register-trainee.controller';
import { RegisterTraineeHandler } from './trainees/register-trainee/register-trainee.handler';
import { TraineeAnswers } from './trainees/trainee-answer';
import { TraineeReaders } from './trainees/trainee-readers';
import { traineeDirectory } from './trainees/trainee-directory.projection';

/** The real-name registry and the lifelong training archive. Imported by its own main and by the platform. */
@Module({
  imports: [
    ServiceRuntimeModule.forService({ name: 'trainee', migrations: traineeMigrations, projections: [traineeDirectory, traineeArchive] }),
  ],
  controllers: [RegisterTraineeController, LookupTraineeController, GetTraineeController, ErasePersonalDataController, GetArchiveController, ArchiveConsumer],
  providers: [RegisterTraineeHandler, LookupTraineeHandler, ErasePersonalDataHandler, TraineeAnswers, TraineeReaders, PersonalDataKeys],
})
export class TraineeModule {}
