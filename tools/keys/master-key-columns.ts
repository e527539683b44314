// Which columns a rotation of the master key re-wraps: every value sealed with PERSONAL_DATA_KEY itself.
import { ColumnSealedWithMasterKey, ServiceDefinition } from '@skills/service-runtime';

/**
 * Sealed with the master key, but not among the columns a service declares (sealedWithMasterKey, which the
 * key check samples): an import job's data key (trainee-service's import-jobs.ts, `keys.wrap`). Left under
 * the old key, a job's rows would open with it alone.
 */
const NOT_DECLARED: ColumnSealedWithMasterKey[] = [{ schema: 'trainee', table: 'import_jobs', column: 'wrapped_key' }];

/** The services' declared columns (a service declares its schema's), and those not declared, each once. */
export function columnsSealedWithMasterKey(services: ServiceDefinition[]): ColumnSealedWithMasterKey[] {
  const names = new Set(services.map((service) => service.name));
  const declared = services.flatMap((service) => (service.sealedWithMasterKey ?? []).map(({ table, column }) => ({ schema: service.name, table, column })));
  const columns = [...declared, ...NOT_DECLARED.filter((column) => names.has(column.schema))];
  const key = (column: ColumnSealedWithMasterKey) => `${column.schema}.${column.table}.${column.column}`;
  return columns.filter((column, index) => columns.findIndex((other) => key(other) === key(column)) === index);
}
