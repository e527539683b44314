import { ImportKind, ImportMode, ImportState } from '@skills/contracts';

export type { ImportJobAnswer, ImportState } from '@skills/contracts';

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
