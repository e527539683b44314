import { Module } from '@nestjs/common';
import { Clock } from '@skills/domain-kernel';
import { CLOCK, ErasureLedger, RUNTIME_CONFIG, RuntimeConfig, ServiceRuntimeModule, traineeRelationsFor } from '@skills/service-runtime';
import { ArchiveConsumer } from './archive/archive.consumer';
import { ArchiveReads } from './archive/archive-reads';
import { identityHashKeyMatches } from './trainees/identity-hash-check';
import { GetArchiveController } from './archive/get-archive/get-archive.controller';
import { ArchivePdfController } from './archive/pdf/archive-pdf.controller';
import { PdfFont } from './archive/pdf/pdf-font';
import { traineeArchive } from './archive/trainee-archive.projection';
import { ErasePersonalDataController } from './personal-data/erase-personal-data/erase-personal-data.controller';
import { ErasePersonalDataHandler } from './personal-data/erase-personal-data/erase-personal-data.handler';
import { ErasureLedgerConsumer } from './personal-data/erasure-ledger/erasure-ledger.consumer';
import { ErasureLedgerUpkeep } from './personal-data/erasure-ledger/erasure-ledger-upkeep';
import { CreateImport } from './imports/http/create-import';
import { ImportsController } from './imports/http/imports.controller';
import { ListImportsController } from './imports/http/list-imports.controller';
import { ImportAnswersConsumer } from './imports/jobs/import-answers.consumer';
import { ImportJobs } from './imports/jobs/import-jobs';
import { ImportJobUpkeep } from './imports/jobs/import-job-upkeep';
import { ImportRunner } from './imports/jobs/import-runner';
import { PrepareRows } from './imports/jobs/prepare-rows';
import { TraineesImportApplier } from './imports/jobs/trainees-import.applier';
import { PersonalDataKeys } from './personal-data/personal-data-keys';
import { traineeMigrations } from './trainee.migrations';
import { AgeOnDateController } from './trainees/age-on-date/age-on-date.controller';
import { TraineeAgeAnswers } from './trainees/age-on-date/trainee-age-answers';
import { WorkingAgeAfterErasure } from './personal-data/working-age/working-age-after-erasure';
import { NameMatchController } from './trainees/name-match/name-match.controller';
import { TraineeNameAnswers } from './trainees/name-match/trainee-name-answers';
import { CorrectTraineeController } from './trainees/correct-trainee/correct-trainee.controller';
import { CorrectTraineeHandler } from './trainees/correct-trainee/correct-trainee.handler';
import { GetTraineeController } from './trainees/get-trainee/get-trainee.controller';
import { IssueActivationCodeController } from './trainees/issue-activation-code/issue-activation-code.controller';
import { IssueActivationCodeHandler } from './trainees/issue-activation-code/issue-activation-code.handler';
import { TraineeUsers } from './trainees/issue-activation-code/trainee-users';
import { TraineeUsersConsumer } from './trainees/issue-activation-code/trainee-users.consumer';
import { LookupTraineeController } from './trainees/lookup-trainee/lookup-trainee.controller';
import { LookupTraineeHandler } from './trainees/lookup-trainee/lookup-trainee.handler';
import { TraineeLookups } from './trainees/lookup-trainee/trainee-lookups';
import { TraineeMatching } from './trainees/lookup-trainee/trainee-matching';
import { RegisterTraineeController } from './trainees/register-trainee/register-trainee.controller';
import { RegisterTraineeHandler } from './trainees/register-trainee/register-trainee.handler';
import { SearchIndexBackfill } from './trainees/search-trainees/search-index-backfill';
import { SearchTraineesController } from './trainees/search-trainees/search-trainees.controller';
import { TraineeSearch } from './trainees/search-trainees/trainee-search';
import { TraineeAnswers } from './trainees/trainee-answer';
import { traineeDirectory } from './trainees/trainee-directory.projection';
import { VoidRegistrationController } from './trainees/void-registration/void-registration.controller';
import { VoidRegistrationHandler } from './trainees/void-registration/void-registration.handler';

// A registration relates the registering organisation in its own transaction (RegisterTraineeHandler):
// TraineeRegistered coming back over the bus would find the relation there already. This service knows
// every fact of its relations (TraineeRelatingFactsFromTheLog): it announces each pair a void takes back
// (TraineeUnrelated), which the services that do not know the facts of their older relations take back too.
const traineeRelations = traineeRelationsFor('trainee', { relatedWithTheFact: ['TraineeRegistered'], announceUnrelated: true });

/** The all-in-one's erasure ledger (BACKUP_DIR/erasures.jsonl); one that records nothing elsewhere. */
const erasureLedger = { provide: ErasureLedger, useFactory: (config: RuntimeConfig, clock: Clock) => new ErasureLedger(config.erasureLedger, clock), inject: [RUNTIME_CONFIG, CLOCK] };

/** The real-name registry and the lifelong training archive. Imported by its own main and by the platform. */
@Module({
  imports: [
    ServiceRuntimeModule.forService({
      name: 'trainee',
      migrations: traineeMigrations,
      projections: [traineeDirectory, traineeArchive],
      sealedWithMasterKey: [{ table: 'personal_data_keys', column: 'wrapped_key' }],
      hashedWithIdentityKey: ['identity_claims'],
      identityHashKeyMatches,
    }),
  ],
  controllers: [RegisterTraineeController, SearchTraineesController, LookupTraineeController, GetTraineeController, CorrectTraineeController, VoidRegistrationController, ErasePersonalDataController, IssueActivationCodeController, GetArchiveController, ArchivePdfController, AgeOnDateController, NameMatchController, ListImportsController, ImportsController, ArchiveConsumer, ImportAnswersConsumer, ErasureLedgerConsumer, TraineeUsersConsumer, ...traineeRelations.controllers],
  providers: [RegisterTraineeHandler, LookupTraineeHandler, TraineeLookups, TraineeMatching, CorrectTraineeHandler, VoidRegistrationHandler, ErasePersonalDataHandler, IssueActivationCodeHandler, TraineeUsers, TraineeAnswers, ArchiveReads, PdfFont, TraineeAgeAnswers, WorkingAgeAfterErasure, TraineeNameAnswers, PersonalDataKeys, erasureLedger, ErasureLedgerUpkeep, TraineeSearch, SearchIndexBackfill, CreateImport, ImportJobs, ImportJobUpkeep, ImportRunner, PrepareRows, TraineesImportApplier, ...traineeRelations.providers],
})
export class TraineeModule {}
