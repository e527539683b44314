import { ImportJobAnswer as ImportJobContract, ImportKind, ImportMode, ImportState } from '@skills/contracts';

export type { ImportState } from '@skills/contracts';

/** A job as GET /api/v1/imports/{id} answers it: the contract's fields, and the rows past the uploader's lookup limit. */
export interface ImportJobAnswer extends ImportJobContract {
  /** Of the refused rows, those not looked up because the uploader had no lookup left (too_many_lookups). */
  tooManyLookups: number;
}

/** What the runner and the answers need of a job row. */
export interface ImportJobRecord {
  jobId: string;
  organisationId: string;
  kind: ImportKind;
  courseId: string | null;
  startedBy: { userId: string | null; role: string | null };
  state: ImportState;
  phase: ImportMode;
  runRequested: boolean;
  skipRefused: boolean;
  batches: number;
  submitted: number;
  answered: number;
}

/** Rows judged and applied together: one transaction each on the owner's side. */
export const IMPORT_BATCH_ROWS = 500;
