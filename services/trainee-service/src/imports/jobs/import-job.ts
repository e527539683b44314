import { ImportKind, ImportMode } from '@skills/contracts';

export type ImportState = 'validating' | 'ready' | 'running' | 'done' | 'failed';

/** A job as `GET /api/v1/imports/{id}` answers it (api.md, Imports). */
export interface ImportJobAnswer {
  id: string;
  kind: ImportKind;
  courseId: string | null;
  state: ImportState;
  total: number;
  done: number;
  created: number;
  alreadyPresent: number;
  corrected: number;
  refused: number;
  rowsPerSecond: number | null;
  failure: string | null;
  createdAt: string;
  finishedAt: string | null;
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
