import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { type Caller, IMPORT_KINDS, type ImportKind } from '@skills/contracts';
import { CurrentCaller, CurrentTokenSession, IdempotentUpload, inFlightRefusal, InFlightPerUser, InvalidInput, Permission, Public, TokenSession, UuidParam } from '@skills/service-runtime';
import type { Response } from 'express';
import { DEFAULT_MAX_ROWS, importErrorsCsv, importTemplateCsv, importTemplateXlsx, MAX_CELL_CHARACTERS, MAX_COLUMNS, MAX_FILE_CHARACTERS, UNPACKED_LIMITS, XLSX_TYPE } from '../files';
import { ImportJobs } from '../jobs/import-jobs';
import { CreateImportDto, ImportJobDto, ImportRunQuery, ImportTemplateQuery, ImportStateAnswer, RefusedRowsAnswer } from './import.dto';
import { CreateImport, MAX_FILE_BYTES, UploadedImportFile } from './create-import';
import { LOOKUPS_PER_HOUR, ORGANISATION_LOOKUPS_PER_HOUR } from '../../trainees/lookup-trainee/trainee-lookups';

const CSV_ANSWER = { content: { 'text/csv': { schema: { type: 'string' } } } };

/** How many refused rows the JSON answer lists: a screen's worth; the CSV holds them all. */
export const REFUSED_ROWS_LISTED = 200;

/** A size in bytes as the descriptions say it, in the largest binary unit it is a whole number of (1 GiB, 256 MiB). */
function binarySize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) if (bytes % size === 0) return `${bytes / size} ${unit}`;
  return `${bytes} bytes`;
}

/** How an upload's rows count against the lookup limit (PrepareRows.withRegistry), in the upload's description. */
const LOOKUP_LIMIT =
  `Rows are matched against the registry as POST /api/v1/trainees/lookup matches, under the same limits of ${LOOKUPS_PER_HOUR} lookups an hour per user and ${ORGANISATION_LOOKUPS_PER_HOUR} per organisation (lookups, registrations refused as registered and imports together), judged when the file is uploaded, before the dry run: ` +
  "a trainees row whose identity number is registered to a trainee the organisation is not related to (refused identity_number_registered), and an enrolments_and_results or certificates row whose identity number and name match no trainee (refused not_found), is one of the uploading user's lookups, recorded and audited as one. " +
  'A new trainee and a row matching a trainee are not counted, but are judged only while the user has a lookup left; a number held by a trainee the organisation is related to (it registered, enrolled, employed or certified them) is never counted nor held back. ' +
  "Past the limit every further row that needs the registry's answer is refused too_many_lookups, whatever that answer would have been (the job's tooManyLookups counts them): upload those rows again an hour later: a row an earlier upload of the same user was answered within 30 days is not counted again (it is audited again).";

/**
 * Reading and checking a file takes a core for seconds (200,000 rows): one upload at a time per user, so one
 * user sending several at once does not slow every other user of the service.
 */
const UPLOADS_AT_A_TIME = 1;
const uploadsInFlight = new InFlightPerUser(UPLOADS_AT_A_TIME, 'uploads');

@ApiTags('imports')
@Controller('api/v1/imports')
export class ImportsController {
  constructor(
    private readonly create: CreateImport,
    private readonly jobs: ImportJobs,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Upload a file to import',
    description:
      `A CSV (UTF-8 with or without BOM, otherwise GB18030/GBK) or .xlsx file with a header row in Chinese or English (see the templates), at most ${DEFAULT_MAX_ROWS.toLocaleString('en-US')} rows below the header (blank rows are not counted) and ${MAX_COLUMNS} columns: a file with more rows is refused too_many_rows (split it into several files), a row with a cell beyond column ${MAX_COLUMNS} too_many_columns, a cell of more than ${MAX_CELL_CHARACTERS.toLocaleString('en-US')} characters cell_too_long (naming its row and column), cells of more than ${MAX_FILE_CHARACTERS.toLocaleString('en-US')} characters in all (each use of an .xlsx's shared string counted) file_too_large: each refuses the whole file, nothing kept. Every row is checked first, by the same rules as the API, and nothing is written until the job runs: with ?run=true once the dry run is done, or POST /api/v1/imports/{id}/run. Refused rows stop the run unless skipRefused=true, which the job keeps: given without run=true, it is stored for a later POST /api/v1/imports/{id}/run, which then leaves the refused rows out without being given it again. The kind needs the permission of its rows: trainees trainees:register; enrolments_and_results courses:enrol on the course's own provider; certificates certificates:certify. A certificates row is a certificate the uploading evaluator issued before it began certifying on the platform, recorded as issued (no route's rules judged again): while it has certified nothing through the platform, any date up to today; once it has, one dated on or after the day (UTC+8) of its first certification here (any route, revoked ones included) is refused certifiedOn: imported_after_certifying_here, in the dry run as in the run, as what it issues since is certified through POST /api/v1/certifications. ` +
      LOOKUP_LIMIT,
  })
  @Permission('imports:create')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['kind', 'file'],
      properties: { kind: { type: 'string', enum: [...IMPORT_KINDS] }, courseId: { type: 'string', format: 'uuid' }, file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiAcceptedResponse({ type: ImportStateAnswer, description: 'The job, validating its rows' })
  @ApiBadRequestResponse({ description: `kind or courseId invalid; no file; a file that is not CSV or .xlsx, unreadable, empty, missing a required column, too many rows or columns, a cell too long, or an .xlsx whose parts unpack to more than ${binarySize(UNPACKED_LIMITS.allParts)}, or its shared strings to more than ${binarySize(UNPACKED_LIMITS.sharedStrings)}, by the bytes they inflate to, or cells of more than ${MAX_FILE_CHARACTERS.toLocaleString('en-US')} characters in all (field file, rules unsupported_file_type, unreadable_file, empty_file, missing_columns, too_many_rows, too_many_columns, cell_too_long, file_too_large); a form multer refuses: the file under another name, two files (field file, rule invalid_multipart)` })
  @ApiPayloadTooLargeResponse({ description: `A file over ${MAX_FILE_BYTES / 1024 / 1024} MiB (field file, rule max_size)` })
  @ApiTooManyRequestsResponse({
    description: `${inFlightRefusal(UPLOADS_AT_A_TIME, 'uploads')} A repeat under the same Idempotency-Key while the first is still read is answered so too (not 409 idempotency_key_in_progress): it is refused before its file is read.`,
  })
  // A file's name as browsers send it: in UTF-8 (multer would read it as Latin-1), so the list shows 学员名单.csv as uploaded.
  @IdempotentUpload(FileInterceptor('file', { limits: { fileSize: MAX_FILE_BYTES, files: 1 }, defParamCharset: 'utf8' }))
  // Below IdempotentUpload, so it runs first: a second upload is refused before its file is read.
  @UseInterceptors(uploadsInFlight)
  async upload(
    @Body() body: CreateImportDto,
    @Query() query: ImportRunQuery,
    @UploadedFile() file: UploadedImportFile | undefined,
    @CurrentCaller() caller: Caller,
    @CurrentTokenSession() session: TokenSession,
  ): Promise<ImportStateAnswer> {
    return this.create.execute(body, file, { run: query.run ?? false, skipRefused: query.skipRefused ?? false }, caller, session.apiKeyId);
  }

  @Get('templates/:kind')
  @Public()
  @ApiOperation({
    summary: 'A template file for a kind of import',
    description:
      'The Chinese headers and one example row (refused example_row if uploaded unchanged): a CSV in UTF-8 with BOM (Excel opens it as it is), or with format=xlsx an Excel workbook whose columns are formatted as text and the dates as dates, so identity numbers and phones typed into it keep their digits. Public: it holds no data, and a school may hand it on before anyone signs in.',
  })
  @ApiParam({ name: 'kind', enum: IMPORT_KINDS })
  @ApiProduces('text/csv', XLSX_TYPE)
  @ApiOkResponse({ description: 'The template, as an attachment named import-{kind}.csv or .xlsx', content: { ...CSV_ANSWER.content, [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiBadRequestResponse({ description: 'kind: isIn (an unknown kind), or format: isIn (neither csv nor xlsx)' })
  async template(@Param('kind') kind: ImportKind, @Query() query: ImportTemplateQuery, @Res({ passthrough: true }) response: Response): Promise<string | StreamableFile> {
    if (!IMPORT_KINDS.includes(kind)) throw new InvalidInput([{ field: 'kind', rule: 'isIn', message: `kind must be one of ${IMPORT_KINDS.join(', ')}` }]);
    if (query.format === 'xlsx') return new StreamableFile(await importTemplateXlsx(kind), { type: XLSX_TYPE, disposition: `attachment; filename="import-${kind}.xlsx"` });
    response.type('text/csv; charset=utf-8').attachment(`import-${kind}.csv`);
    return importTemplateCsv(kind);
  }

  @Get(':id')
  @Permission('imports:read')
  @ApiOperation({
    summary: 'An import job: state, progress and counts',
    description:
      "Only to the job's organisation. tooManyLookups: the refused rows not looked up for the uploading user's lookup limit (see POST /api/v1/imports). uploadedBy: who uploaded the file, the user by id and by their username at upload, or the API key it was uploaded with (a job uploaded before jobs kept it: no username nor key).",
  })
  @ApiOkResponse({ type: ImportJobDto })
  @ApiNotFoundResponse({ description: "No such job of the caller's organisation" })
  get(@UuidParam('id') id: string, @CurrentCaller() caller: Caller): Promise<ImportJobDto> {
    return this.jobs.answer(id, caller.organisationId);
  }

  @Post(':id/run')
  @HttpCode(202)
  @Permission('imports:create')
  @ApiOperation({ summary: 'Run an import job', description: 'Runs once the dry run is done (at once if it is; asked while it is validating, the run is kept and starts when the dry run ends), after the organisation\'s runs of the same kind (and course) asked before it or begun (waitingFor). With refused rows only with skipRefused=true, given now or with an earlier request (the upload or an earlier run); the refused rows are then left out. A job that is done answers as it is.' })
  @ApiAcceptedResponse({ type: ImportStateAnswer })
  @ApiNotFoundResponse({ description: "No such job of the caller's organisation" })
  @ApiConflictResponse({ description: 'refused_rows: the dry run refused some rows and skipRefused=true was never given for the job; fix the file, or run with skipRefused=true. import_failed: the job failed (its failure says why); upload the file again' })
  async run(@UuidParam('id') id: string, @Query() query: ImportRunQuery, @CurrentCaller() caller: Caller): Promise<ImportStateAnswer> {
    return this.create.run(id, query.skipRefused ?? false, caller);
  }

  @Get(':id/errors')
  @Permission('imports:read')
  @ApiOperation({
    summary: "An import job's refused rows, as CSV (or their reasons as JSON)",
    description: `Each refused row: its row number in the file, its cells as given and the reason: the file's own header of the field (the template's Chinese header when the row holds none) with the API's name of it in brackets, and the rule as the API names it (手机号 (phone): matches (…)). A trainees row refused idNumber: identity_number_registered for a trainee the organisation is not related to, and an enrolments_and_results or certificates row refused idNumber: not_found, was one of the uploading user's lookups; idNumber: too_many_lookups is a row not looked up, the user having made ${LOOKUPS_PER_HOUR} lookups in the last hour (or its organisation ${ORGANISATION_LOOKUPS_PER_HOUR}): it says nothing of the person (registered or not, matched or not), and is to be uploaded again later. Asked with Accept: application/json, the first ${REFUSED_ROWS_LISTED} refused rows in file order, each its row, field (the API's name), rule and detail (which may name a date it checked), without its cells, and total, the number of rows refused (a screen lists them in its words; the CSV holds them all). Only to the job's organisation.`,
  })
  @ApiExtraModels(RefusedRowsAnswer)
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({
    description: 'UTF-8 CSV with BOM (the default); JSON when asked with Accept: application/json',
    content: { ...CSV_ANSWER.content, 'application/json': { schema: { $ref: getSchemaPath(RefusedRowsAnswer) } } },
  })
  @ApiNotFoundResponse({ description: "No such job of the caller's organisation" })
  async errors(@UuidParam('id') id: string, @CurrentCaller() caller: Caller, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) response: Response): Promise<string | RefusedRowsAnswer> {
    // CSV stays the answer of a plain download (a browser's Accept names text/html and */*): JSON only when named first.
    if (prefersJson(accept)) return this.jobs.refusalsOf(id, caller.organisationId, REFUSED_ROWS_LISTED);
    const { kind, rows } = await this.jobs.refusedRowsOf(id, caller.organisationId);
    response.type('text/csv; charset=utf-8').attachment(`import-${id}-errors.csv`);
    return importErrorsCsv(kind, rows);
  }
}

/** Whether the first media type the caller accepts is JSON. */
function prefersJson(accept: string | undefined): boolean {
  const first = (accept ?? '').split(',')[0].split(';')[0].trim().toLowerCase();
  return first === 'application/json';
}
