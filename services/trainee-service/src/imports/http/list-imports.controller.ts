import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@skills/contracts';
import { NotPermitted } from '@skills/domain-kernel';
import { CurrentCaller, cursorKeys, decodeCursor, encodeCursor, pageOf, Permission, rowsForPage } from '@skills/service-runtime';
import { ImportJobs } from '../jobs/import-jobs';
import { ImportJobsPage, ListImportsQuery } from './list-imports.query';

const PERMISSION = 'imports:read';

/**
 * An organisation's import jobs, newest first, so a clerk finds a job again after leaving its page: one
 * left ready (待导入) to run, or an earlier file's refused rows. Read as one job is (GET …/{id}): by its
 * own organisation, with imports:read.
 */
@ApiTags('imports')
@Controller('api/v1/imports')
export class ListImportsController {
  constructor(private readonly jobs: ImportJobs) {}

  @Get()
  @Permission(PERMISSION)
  @ApiOperation({
    summary: "List the organisation's import jobs",
    description:
      "The caller's organisation's import jobs, newest first, each as GET /api/v1/imports/{id} answers it, with the file's name as uploaded and who uploaded it; only those in one state with ?state= (ready: checked, waiting to be run, until the service closes it unrun). Only to the jobs' organisation, as one job is.",
  })
  @ApiOkResponse({ type: ImportJobsPage, description: '{items: [{id, kind, fileName, state, total, done, created, …, createdAt, uploadedBy}], nextCursor}' })
  @ApiBadRequestResponse({ description: 'limit outside 1..100, a state that is none of the states, an organisationId that is no uuid, a cursor that is no nextCursor, or an unknown parameter (each named in `errors`)' })
  @ApiForbiddenResponse({ description: 'organisationId names another organisation, or the caller belongs to none' })
  async list(@Query() query: ListImportsQuery, @CurrentCaller() caller: Caller): Promise<ImportJobsPage> {
    const organisationId = scopeOf(caller, query.organisationId);
    const after = query.cursor ? decodeCursor(query.cursor, cursorKeys.instant, cursorKeys.uuid) : null;
    const rows = await this.jobs.listOf(organisationId, { state: query.state, after, rows: rowsForPage(query) });
    // The position after a page's last job: when it was uploaded (to the microsecond), and its id.
    const { page, nextCursor } = pageOf(rows, query, (last) => encodeCursor(last.createdKey, last.id));
    return { items: page.map(({ createdKey: _, ...job }) => job), nextCursor };
  }
}

/** The organisation whose jobs the caller reads: its own, as a single job is read (no role reads another's). */
function scopeOf(caller: Caller, asked: string | undefined): string {
  if (!caller.organisationId) throw new NotPermitted(PERMISSION, "import jobs are read by their organisation's staff");
  if (asked && asked !== caller.organisationId) throw new NotPermitted(PERMISSION, "another organisation's import jobs are not the caller's to read");
  return caller.organisationId;
}
