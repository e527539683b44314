import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, Role, Via } from '@skills/contracts';
import { IsPageCursor, IsText, PageQuery } from '@skills/service-runtime';
import { IsOptional, IsString, MaxLength } from 'class-validator';

const DAY_OR_INSTANT = 'a day (YYYY-MM-DD, China Standard Time) or an ISO 8601 instant (2021-03-01T08:00:00Z)';

export class ListAuditEntriesQuery extends PageQuery {
  @ApiPropertyOptional({ description: "Only actions on this organisation's resources (an organisation administrator may name only its own)" })
  @IsOptional()
  @IsText({ maxLength: 100 })
  organisationId?: string;

  @ApiPropertyOptional({ description: 'Only what this user (its id) did or read' })
  @IsOptional()
  @IsText({ maxLength: 100 })
  actor?: string;

  @ApiPropertyOptional({ example: '2021-03-01', description: `From, inclusive: ${DAY_OR_INSTANT}` })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ example: '2021-03-31', description: `To, inclusive (a day up to its end): ${DAY_OR_INSTANT}` })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;

  @IsPageCursor()
  cursor?: string;
}

class AuditActorAnswer {
  @ApiProperty({ type: String, nullable: true })
  userId: string | null;

  @ApiProperty({ enum: ROLES, nullable: true })
  role: Role | null;

  @ApiProperty({ type: String, nullable: true })
  organisationId: string | null;

  @ApiProperty({ enum: ['token', 'apiKey', 'system'] })
  via: Via;
}

export class AuditEntryAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['CommandAccepted', 'PersonalDataRead'] })
  kind: string;

  @ApiProperty({ example: '2021-03-01T02:00:00.000Z' })
  at: string;

  @ApiProperty({ type: AuditActorAnswer })
  actor: AuditActorAnswer;

  @ApiProperty({ example: 'EnrollTrainee', description: "The command's type, or for a read the permission it used (trainees:read)" })
  action: string;

  @ApiProperty({ example: 'training' })
  service: string;

  @ApiProperty({ type: String, nullable: true, example: 'course-6f1c…', description: 'The stream written or read; null for a lookup that found nobody' })
  resource: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The organisation whose resource it is (the acting user’s)' })
  organisationId: string | null;

  @ApiProperty()
  correlationId: string;
}

export class AuditPage {
  @ApiProperty({ type: [AuditEntryAnswer] })
  items: AuditEntryAnswer[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
