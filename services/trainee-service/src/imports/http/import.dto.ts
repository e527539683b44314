import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IMPORT_FAILURE_RULES, IMPORT_KINDS, type ImportKind } from '@skills/contracts';
import { IsId } from '@skills/service-runtime';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { LOOKUPS_PER_HOUR, ORGANISATION_LOOKUPS_PER_HOUR } from '../../trainees/lookup-trainee/trainee-lookups';

const STATES = ['validating', 'ready', 'running', 'done', 'failed'];

/** The multipart fields of POST /api/v1/imports beside the file. */
export class CreateImportDto {
  @ApiProperty({ enum: IMPORT_KINDS })
  @IsIn(IMPORT_KINDS)
  kind: ImportKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'The course of an enrolments_and_results file (required for that kind)' })
  @IsOptional()
  @IsId()
  courseId?: string;
}

const asFlag = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export const TEMPLATE_FORMATS = ['csv', 'xlsx'] as const;

export class ImportTemplateQuery {
  @ApiPropertyOptional({
    enum: TEMPLATE_FORMATS,
    description: 'csv (the default): UTF-8 with BOM; xlsx: an Excel workbook whose columns are formatted as text (the dates as dates), so an identity number typed into it keeps its digits',
  })
  @IsOptional()
  @IsIn(TEMPLATE_FORMATS)
  format?: (typeof TEMPLATE_FORMATS)[number];
}

export class ImportRunQuery {
  @ApiPropertyOptional({ description: 'Run once the dry run has judged every row (POST /api/v1/imports only)', type: Boolean })
  @IsOptional()
  @Transform(asFlag)
  @IsBoolean()
  run?: boolean;

  @ApiPropertyOptional({ description: 'Run even though some rows are refused: those rows are left out and listed in the error file', type: Boolean })
  @IsOptional()
  @Transform(asFlag)
  @IsBoolean()
  skipRefused?: boolean;
}

export class ImportStateAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: STATES })
  state: string;
}

/** The API key a file was uploaded with. */
export class ImportApiKeyDto {
  @ApiProperty({ description: "The key's client id (as POST /api/v1/api-keys answered it, and GET /api/v1/api-keys lists it)" })
  clientId: string;
}

/** Who uploaded a job: a staff account's name, seen by its organisation's staff only (not a trainee's personal data, domain.md section 7). */
export class ImportUploaderDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "The user who uploaded the file (an API key's: the user who made the key); null for a caller without a user" })
  userId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Their role when they uploaded it' })
  role: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'wang.clerk',
    description: 'Their username as it was when they uploaded the file (a later rename does not change it); null for a file uploaded with an API key (apiKey names it) and for a job uploaded before jobs kept it',
  })
  username: string | null;

  @ApiProperty({ type: ImportApiKeyDto, nullable: true, description: 'The API key the file was uploaded with, instead of a username; null for an upload by a signed-in user, and for a job uploaded before jobs kept it' })
  apiKey: ImportApiKeyDto | null;
}

export class ImportJobDto extends ImportStateAnswer {
  @ApiProperty({ enum: IMPORT_KINDS })
  kind: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  courseId: string | null;

  @ApiProperty({ description: 'Rows in the file (the header aside)' })
  total: number;

  @ApiProperty({ description: 'Rows the run has finished with (created, already present, corrected or refused)' })
  done: number;

  @ApiProperty()
  created: number;

  @ApiProperty({ description: 'Rows applied by an earlier upload of the same rows: nothing new was created' })
  alreadyPresent: number;

  @ApiProperty({ description: 'Rows that changed a row applied by an earlier upload (a corrected phone, a corrected result)' })
  corrected: number;

  @ApiProperty({ description: 'Rows refused, by the dry run or the run: see GET /api/v1/imports/{id}/errors' })
  refused: number;

  @ApiProperty({
    description: `Of the refused rows, those not looked up (rule too_many_lookups): the user who uploaded the file had made ${LOOKUPS_PER_HOUR} lookups in the last hour (or the users of its organisation ${ORGANISATION_LOOKUPS_PER_HOUR} together), and a row is looked up only while one is left. Upload those rows again later`,
  })
  tooManyLookups: number;

  @ApiProperty({ nullable: true, type: Number, description: 'Rows applied per second since the run began its first batch (none while it waits, or before it applies any)' })
  rowsPerSecond: number | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description:
      "The organisation's import of the same kind (and course) this run waits for: its jobs are applied one after the other, in the order they were asked to run; nothing of this file is written until that one ends",
  })
  waitingFor: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'Why the job failed (state failed), in English' })
  failure: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    enum: IMPORT_FAILURE_RULES,
    description: 'Why the job failed, as a rule (a screen says it in its words): batch_failed, a batch could not be applied; owner_silent, the service that applies the rows did not answer in time; dry_run_not_run, nobody ran the dry run in time. Upload the file again: rows already applied are reported as already present',
  })
  failureRule: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finishedAt: string | null;

  @ApiProperty({ type: ImportUploaderDto, description: 'Who uploaded the file: a user (by id and username), or an API key' })
  uploadedBy: ImportUploaderDto;
}

/** A refused row as the console lists it: no cells (they are personal data, and the list needs none). */
export class RefusedRowDto {
  @ApiProperty({ description: 'The row number in the file (the header is usually row 1)' })
  row: number;

  @ApiProperty({ description: "The field refused, as the API names it (idNumber); '' when the row as a whole is" })
  field: string;

  @ApiProperty({ description: 'The rule, as the API names it (the same codes as a 400 of the same field)' })
  rule: string;

  @ApiProperty({ description: 'The specifics, in English (which row it repeats, which limit)' })
  detail: string;
}

export class RefusedRowsAnswer {
  @ApiProperty({ type: [RefusedRowDto], description: 'The first refused rows, in file order (at most 200; the CSV holds them all)' })
  items: RefusedRowDto[];

  @ApiProperty({ description: 'How many rows were refused in all' })
  total: number;
}
