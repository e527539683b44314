import { ImportJobAnswer as ImportJobContract, ImportKind, ImportMode, ImportState } from '@skills/contracts';

export type { ImportState } from '@skills/contracts';

/** A job as GET /api/v1/imports/{id} answers it: the contract's fields, the rows past the uploader's lookup limit, and who uploaded it. */
export interface ImportJobAnswer extends ImportJobContract {
  /** Of the refused rows, those not looked up because the uploader had no lookup left (too_many_lookups). */
  tooManyLookups: number;
  uploadedBy: ImportUploader;
}

/**
 * Who uploaded a job: the user (`started_by`) and, as kept since jobs keep it (`uploaded_by`), their
 * username at upload, or the API key the file came with instead (then no username). A job uploaded
 * before has neither: both null.
 */
export interface ImportUploader {
  userId: string | null;
  role: string | null;
  username: string | null;
  apiKey: { clientId: string } | null;
}

/** What a job keeps of its uploader beside `started_by` (import_jobs.uploaded_by): a username, or the key. */
export type ImportUploadedBy = { username: string } | { apiKey: { clientId: string } };

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
