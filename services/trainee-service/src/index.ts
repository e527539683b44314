export * from './trainee.module';
export { holdImportJob } from './imports/jobs/import-job-lease';
export { erasuresOwedBy } from './personal-data/erasure-ledger/erasure-ledger-upkeep';
export { LOOKUPS_PER_HOUR } from './trainees/lookup-trainee/trainee-lookups';
export { ErasureLedgerUpkeep } from './personal-data/erasure-ledger/erasure-ledger-upkeep';
