import type { components } from '../../api/schema';

export type ImportJob = components['schemas']['ImportJobDto'];
export type ImportKind = ImportJob['kind'];

/** The upload page of a kind; a course's page links to its own with `?courseId=`. */
export const uploadPath = (kind: ImportKind, courseId?: string) => `/imports/new/${kind}${courseId ? `?courseId=${courseId}` : ''}`;

/** The public template of a kind (no token needed, so a plain link downloads it): CSV, or an Excel workbook. */
export const templateUrl = (kind: ImportKind, format: 'csv' | 'xlsx' = 'csv') => `/api/v1/imports/templates/${kind}${format === 'xlsx' ? '?format=xlsx' : ''}`;

/**
 * The largest file the server takes (trainee-service create-import.ts MAX_FILE_BYTES: a larger one is a
 * 413 after the whole upload); the page refuses one at the field before sending it. The console cannot
 * import the service's code, so e2e/src/console/upload-limit.spec.ts keeps the two equal.
 */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/**
 * The most rows (below the header) and columns a file may have: trainee-service read-import-file.ts
 * DEFAULT_MAX_ROWS and MAX_COLUMNS, said beside the file field so a clerk splits a file before uploading it,
 * and in the words of the refusals too_many_rows and too_many_columns (i18n/parts/imports.ts). Kept equal
 * to the service's by e2e/src/console/upload-limit.spec.ts.
 */
export const MAX_IMPORT_ROWS = 200_000;
export const MAX_IMPORT_COLUMNS = 100;
