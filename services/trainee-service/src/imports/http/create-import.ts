import { Inject, Injectable } from '@nestjs/common';
import type { Caller, ImportKind } from '@skills/contracts';
import { DomainRefusal, NotPermitted } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { allows, AuditTrail, InvalidInput, PermissionName, RUNTIME_CONFIG, RuntimeConfig, waitUntil } from '@skills/service-runtime';
import { ImportFileRefused, readImportFile } from '../files';
import { ImportJobs } from '../jobs/import-jobs';
import { ImportRunner } from '../jobs/import-runner';
import { PrepareRows } from '../jobs/prepare-rows';
import { CreateImportDto, ImportStateAnswer } from './import.dto';
import { keptFileName } from './kept-file-name';

/** What multer gives of the uploaded file (in memory: the file is read whole before the job exists). */
export interface UploadedImportFile {
  buffer: Buffer;
  originalname: string;
  size: number;
}

/** Large enough for 200,000 rows of any kind; a bigger file is better split. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** What each kind's rows are, as commands: the caller must hold it (domain.md section 9, imports). */
const PERMISSION_OF: Record<ImportKind, PermissionName> = {
  trainees: 'trainees:register',
  enrolments_and_results: 'courses:enrol',
  certificates: 'certificates:certify',
};

const invalid = (field: string, rule: string, message: string) => new InvalidInput([{ field, rule, message }]);

/**
 * Creates an import job: the caller may import this kind (and into this course: its provider's
 * staff only, 403 otherwise, when this service knows the course's provider), the file is read and every row prepared, then the job is left to the
 * runner to judge (and run, when asked).
 */
@Injectable()
export class CreateImport {
  constructor(
    private readonly database: Database,
    private readonly prepare: PrepareRows,
    private readonly jobs: ImportJobs,
    private readonly runner: ImportRunner,
    private readonly audit: AuditTrail,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /** `apiKeyId`: the API key the caller's token was got with (TokenSession.apiKeyId), named as the job's uploader instead of a username. */
  async execute(body: CreateImportDto, file: UploadedImportFile | undefined, options: { run: boolean; skipRefused: boolean }, caller: Caller, apiKeyId?: string): Promise<ImportStateAnswer> {
    const permission = PERMISSION_OF[body.kind];
    if (!allows(permission, caller.role) || !caller.organisationId) throw new NotPermitted(permission, `importing ${body.kind} needs ${permission} for the caller's own organisation`);
    const courseId = await this.courseOf(body, caller.organisationId);
    if (!file) throw invalid('file', 'required', 'a file (CSV or .xlsx) is required');
    const rows = await readImportFile(file, body.kind).catch((error: unknown) => {
      throw error instanceof ImportFileRefused ? invalid(error.field, error.rule, error.detail) : error;
    });
    const scope = { kind: body.kind, organisationId: caller.organisationId, courseId };
    // The rows that tell what a lookup would (a number registered to someone else, a number and name that
    // match nobody) are the caller's lookups, counted against their limit and audited one by one; past the
    // limit no row that needs the registry's answer is answered (PrepareRows.withRegistry).
    const prepared = await this.prepare.prepare(scope, rows, caller);
    // Its uploader as its colleagues know them: their username at upload, or the key a program sent it with.
    const uploadedBy = caller.via === 'apiKey' && apiKeyId ? { apiKey: { clientId: apiKeyId } } : { username: caller.username };
    const id = await this.jobs.create(scope, { userId: caller.userId, role: caller.role }, prepared, { ...options, fileName: keptFileName(file.originalname), uploadedBy });
    // The rest were found by number too (a new trainee, a person matched): audited once for the job, which
    // names the rows.
    await this.audit.read(caller, 'trainees:lookup', `import-${id}`);
    this.runner.wake();
    return { id, state: (await this.jobs.answer(id, caller.organisationId)).state };
  }

  /**
   * Asks for the job's run. Refused rows stop it unless skipping them was consented to, with this request
   * or an earlier one (the upload's skipRefused=true, or an earlier run's): the job stores the consent
   * (import_jobs.skip_refused), as requestRun and the run's start honour it.
   */
  async run(jobId: string, skipRefused: boolean, caller: Caller): Promise<ImportStateAnswer> {
    const job = await this.jobs.answer(jobId, caller.organisationId);
    if (job.state === 'failed') throw new DomainRefusal('import_failed', `the job failed and cannot run: ${job.failure}`);
    if (job.state === 'ready' && job.refused > 0 && !skipRefused && !(await this.jobs.find(this.database, jobId))?.skipRefused) {
      throw new DomainRefusal('refused_rows', `${job.refused} rows were refused: correct the file and upload it again, or run with skipRefused=true to leave them out`, { refused: job.refused });
    }
    await this.jobs.requestRun(jobId, caller.organisationId as string, skipRefused);
    this.runner.wake();
    return { id: jobId, state: (await this.jobs.answer(jobId, caller.organisationId)).state };
  }

  /** The course of a results file, which must be the caller's provider's; none for the other kinds. */
  private async courseOf(body: CreateImportDto, organisationId: string): Promise<string | null> {
    if (body.kind !== 'enrolments_and_results') {
      if (body.courseId) throw invalid('courseId', 'only_with_enrolments_and_results', 'courseId is for an enrolments_and_results file only');
      return null;
    }
    if (!body.courseId) throw invalid('courseId', 'required', 'an enrolments_and_results file is for one course: courseId is required');
    const providerOf = async () => (await this.database.query<{ provider_id: string }>('SELECT provider_id FROM import_course_providers WHERE course_id = $1', [body.courseId])).rows[0]?.provider_id;
    // A course scheduled a moment ago is waited for (REPLICA_WAIT_MS); one still unknown is judged row by row below.
    const provider = await waitUntil(providerOf, this.config.replicaWaitMs);
    if (provider && provider !== organisationId) throw new NotPermitted('courses:enrol', "the course is another provider's");
    // A course this service never heard of (scheduled before it kept courses, or no course at all) is
    // judged by training-service, which owns courses, on every row of the dry run: not_found on
    // courseId, or permission_denied for another provider's. Nothing is written either way.
    return body.courseId;
  }
}
