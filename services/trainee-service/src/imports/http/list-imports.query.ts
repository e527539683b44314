import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsId, IsPageCursor, PageQuery } from '@skills/service-runtime';
import { IsIn, IsOptional } from 'class-validator';
import { ImportJobDto } from './import.dto';

const STATES = ['validating', 'ready', 'running', 'done', 'failed'] as const;

export class ListImportsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATES, description: 'Only the jobs in this state (ready: checked, waiting to be run, until the service closes it unrun)' })
  @IsOptional()
  @IsIn(STATES)
  state?: (typeof STATES)[number];

  @ApiPropertyOptional({ format: 'uuid', description: "The organisation whose jobs to list: the caller's own (the default); another's is refused 403" })
  @IsOptional()
  @IsId()
  organisationId?: string;

  @IsPageCursor()
  cursor?: string;
}

/** A job in the list: the same fields as GET /api/v1/imports/{id} (who uploaded it among them), with the file's name. */
export class ImportJobListItem extends ImportJobDto {
  @ApiProperty({ type: String, nullable: true, example: '2026年秋季学员.xlsx', description: 'The file name as uploaded (null for a job uploaded before jobs kept it)' })
  fileName: string | null;
}

export class ImportJobsPage {
  @ApiProperty({ type: [ImportJobListItem] })
  items: ImportJobListItem[];

  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' })
  nextCursor: string | null;
}
