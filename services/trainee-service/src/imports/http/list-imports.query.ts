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

export class ImportUploaderDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user who uploaded the file (null for a caller without a user)' })
  userId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Their role when they uploaded it' })
  role: string | null;
}

/** A job in the list: the same fields as GET /api/v1/imports/{id}, with the file's name and who uploaded it. */
export class ImportJobListItem extends ImportJobDto {
  @ApiProperty({ type: String, nullable: true, example: '2026年秋季学员.xlsx', description: 'The file name as uploaded (null for a job uploaded before jobs kept it)' })
  fileName: string | null;

  @ApiProperty({ type: ImportUploaderDto })
  uploadedBy: ImportUploaderDto;
}

export class ImportJobsPage {
  @ApiProperty({ type: [ImportJobListItem] })
  items: ImportJobListItem[];

  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' })
  nextCursor: string | null;
}
