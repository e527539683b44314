import { IntegrationEnvelope } from './envelope';

/** What an import job brings (api.md, Imports): each kind is applied by the service that owns its facts. */
export const IMPORT_KINDS = ['trainees', 'enrolments_and_results', 'certificates'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** `judge`: the rows are decided and rolled back (the job's dry run); `apply`: decided and committed. */
export type ImportMode = 'judge' | 'apply';

/**
 * One row of a file as its owner applies it. Free of personal data: the person is named by the
 * trainee id trainee-service resolved from the identity number and name, and the keys are keyed hashes
 * made by trainee-service (kind, organisation, the row's natural key, its cells), so nothing on the
 * topic can be reversed into an identity number.
 */
export interface ImportRowSubmitted {
  /** The row number the user sees in the file (the header is row 1). */
  row: number;
  /** Same natural key (the person in this course, the certificate number) in every upload of it. */
  naturalKey: string;
  /** The natural key and the row's cells: the same row uploaded again has the same key. */
  key: string;
  traineeId: string | null;
  /** The row's cells other than the person's, normalised (dates ISO, `passed` 'true'/'false'). */
  fields: Record<string, string | undefined>;
  /**
   * When a later row of the same file, not refused, has the same natural key (a result, then its
   * correction): the key of the file's last such row, its last word. This row is then a step the file
   * takes: present if it was ever applied, or if the file's last word is what the record holds already.
   */
  lastKeyInFile?: string;
}

/**
 * A batch of an import job's rows for the service that owns them (training: enrolments and results;
 * certification: historical certificates), on the trainee topic, keyed by job id so batches stay in order.
 */
export interface ImportRowsSubmittedV1 {
  jobId: string;
  batch: number;
  mode: ImportMode;
  kind: ImportKind;
  organisationId: string;
  courseId: string | null;
  /** The user who started the job: the rows' commands record it, `via: system`. */
  startedBy: { userId: string | null; role: string | null };
  rows: ImportRowSubmitted[];
}

export type ImportRowOutcomeKind = 'accepted' | 'created' | 'already_present' | 'corrected' | 'refused';

/** How one row fared: `accepted` in a judged batch; a refusal names the field and the rule, as the API's 400 and 409 do. */
export interface ImportRowOutcome {
  row: number;
  outcome: ImportRowOutcomeKind;
  field?: string;
  rule?: string;
  detail?: string;
}

/** The owner's answer to one submitted batch, on the owner's topic, keyed by job id. */
export interface ImportRowsAnsweredV1 {
  jobId: string;
  batch: number;
  mode: ImportMode;
  outcomes: ImportRowOutcome[];
}

export type ImportRowsSubmitted = IntegrationEnvelope<'ImportRowsSubmitted', ImportRowsSubmittedV1>;

/**
 * Message types whose handlers work in a transaction of their own and read through the pool what the
 * messages before them recorded (an import batch: the trainees it names, in the trainee replica): a
 * consumer applying messages several to a transaction commits what it has so far before handing one over.
 * The outbox relay also sends one only once what precedes it in the outbox has been acknowledged, so the
 * broker's timestamp of every message before it is no later than its own (ImportBatchHold waits for them).
 */
export const APPLIED_AFTER_COMMIT: ReadonlySet<string> = new Set<ImportRowsSubmitted['type']>(['ImportRowsSubmitted']);
export type ImportRowsAnswered = IntegrationEnvelope<'ImportRowsAnswered', ImportRowsAnsweredV1>;

export type ImportState = 'validating' | 'ready' | 'running' | 'done' | 'failed';

/**
 * Why a job failed, as a rule a screen says in its reader's language (`failure` says it in English):
 * a batch that could not be applied (three times), the owning service silent too long, a dry run
 * nobody ran in time.
 */
export const IMPORT_FAILURE_RULES = ['batch_failed', 'owner_silent', 'dry_run_not_run'] as const;
export type ImportFailureRule = (typeof IMPORT_FAILURE_RULES)[number];

/** A job as `GET /api/v1/imports/{id}` answers it (api.md, Imports): for the service, the CLI and tests alike. */
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
  /** A run of the organisation's of this kind (and course) that this one waits for before applying anything. */
  waitingFor: string | null;
  failure: string | null;
  /** null for a job that has not failed, or failed before jobs kept the rule. */
  failureRule: ImportFailureRule | null;
  createdAt: string;
  finishedAt: string | null;
}
