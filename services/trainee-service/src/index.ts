export * from './trainee.module';
export { holdImportJob } from './imports/jobs/import-job-lease';
