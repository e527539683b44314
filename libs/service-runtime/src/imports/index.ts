import { Provider, Type } from '@nestjs/common';
import { IMPORT_ANSWERS, IMPORT_ROW_APPLIERS, ImportRowsConsumer } from './import-rows.consumer';
import type { ImportBatchApplier } from './import-batches';
import { ImportBatchHold } from './import-batch-hold';

export { applyImportBatch, importActor, importCaller, type ImportBatchApplier, type ImportJobOf, type PendingImportRow } from './import-batches';
export { refusalOf, validatedAs } from './import-refusals';
export { ImportRowKeysAppliedOrder, ImportRowKeysByTrainee, ImportRowKeysSchema, ImportRowKeysTrainee } from './import-row-keys.schema';
export { ImportRowsConsumer } from './import-rows.consumer';
export { ImportBatchHold } from './import-batch-hold';

/**
 * What a service that owns an import kind adds: spread `controllers` and `providers` into its @Module
 * and list ImportRowKeysSchema among its migrations. `appliers` (each a batch at once) are providers of this module.
 */
export function importRowsFor(service: string, topic: string, appliers: Type<ImportBatchApplier>[]): { controllers: Type[]; providers: Provider[] } {
  return {
    controllers: [ImportRowsConsumer],
    providers: [
      ImportBatchHold,
      ...appliers,
      { provide: IMPORT_ROW_APPLIERS, inject: appliers, useFactory: (...instances: ImportBatchApplier[]) => instances },
      { provide: IMPORT_ANSWERS, useValue: { consumer: `${service}.import-rows`, topic } },
    ],
  };
}
