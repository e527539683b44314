import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { OCCUPATION_CODE, SKILL_LEVELS, SkillLevel } from '@skills/domain-kernel';
import { ConsistentQuery, IsBusinessDate, IsId, IsPageCursor, PageQuery } from '@skills/service-runtime';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CERTIFICATE_NUMBER_EXAMPLE, CERTIFICATE_ROUTES, RECORDED_CERTIFICATE_NUMBER_PATTERN } from '../../certification-answers';

export const CERTIFICATE_STATUSES = ['valid', 'revoked'] as const;

/** `certified`: newest certifiedOn first (the default); `recorded`: newest entered first, whatever the date it bears. */
export const CERTIFICATE_ORDERS = ['certified', 'recorded'] as const;

/** With ?consistent=true the list waits for the certificates read model to hold every certificate issued or revoked before the request. */
export class ListCertificatesQuery extends IntersectionType(PageQuery, ConsistentQuery) {
  @ApiPropertyOptional({ format: 'uuid', description: "The issuing evaluator: an evaluator's staff default to (and may only name) their own" })
  @IsOptional()
  @IsId()
  evaluatorId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The holder: a trainee defaults to (and may only name) themself' })
  @IsOptional()
  @IsId()
  traineeId?: string;

  @ApiPropertyOptional({ example: '6-18-02-04' })
  @IsOptional()
  @Matches(OCCUPATION_CODE, { message: 'occupationCode must look like D-DD-DD-DD' })
  occupationCode?: string;

  @ApiPropertyOptional({ enum: SKILL_LEVELS })
  @IsOptional()
  @IsIn(SKILL_LEVELS)
  level?: SkillLevel;

  @ApiPropertyOptional({ format: 'date', example: '2021-01-01', description: 'Certified on or after this day' })
  @IsOptional()
  @IsBusinessDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', example: '2021-12-31', description: 'Certified on or before this day (not before `from`)' })
  @IsOptional()
  @IsBusinessDate()
  to?: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-12-01', description: 'Entered (recordedAt) on or after this day, the business day in China (UTC+8)' })
  @IsOptional()
  @IsBusinessDate()
  recordedFrom?: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-12-07', description: 'Entered (recordedAt) on or before this day, the business day in China (UTC+8), the whole day (not before `recordedFrom`)' })
  @IsOptional()
  @IsBusinessDate()
  recordedTo?: string;

  @ApiPropertyOptional({ enum: CERTIFICATE_STATUSES })
  @IsOptional()
  @IsIn(CERTIFICATE_STATUSES)
  status?: (typeof CERTIFICATE_STATUSES)[number];

  @ApiPropertyOptional({ pattern: RECORDED_CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE, description: 'One certificate number, exactly' })
  @IsOptional()
  @Matches(new RegExp(RECORDED_CERTIFICATE_NUMBER_PATTERN), { message: 'number must be a certificate number' })
  number?: string;

  @ApiPropertyOptional({
    enum: CERTIFICATE_ORDERS,
    default: 'certified',
    description: '`certified`: newest certifiedOn first, then by number; `recorded`: newest entered (recordedAt) first, then by number. A nextCursor pages on in its own order only: given with the other, it is refused (400 naming cursor).',
  })
  @IsOptional()
  @IsIn(CERTIFICATE_ORDERS)
  sort?: (typeof CERTIFICATE_ORDERS)[number];

  @IsPageCursor()
  cursor?: string;
}

/** A certificate as its issuer and its holder list it: no personal data (names come from the trainee reads the caller may do). */
export class CertificateListItem {
  @ApiProperty({ pattern: RECORDED_CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE })
  number: string;
  @ApiProperty({ format: 'uuid' })
  traineeId: string;
  @ApiProperty({ example: '6-18-02-04' })
  occupationCode: string;
  @ApiProperty({ enum: SKILL_LEVELS })
  level: string;
  @ApiProperty({ enum: CERTIFICATE_ROUTES, description: '`imported`: a certificate of an earlier year recorded as it was issued' })
  route: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null only for a certificate recorded before the evaluator id was kept, until the read model is rebuilt' })
  evaluatorId: string | null;
  @ApiProperty({ format: 'date', example: '2021-06-30' })
  certifiedOn: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-07T02:30:00.000Z', description: 'When the certificate was entered on the platform (certified, or recorded by an import), whatever its certifiedOn' })
  recordedAt: string;
  @ApiProperty({ enum: CERTIFICATE_STATUSES })
  status: string;
  @ApiPropertyOptional({ format: 'date', example: '2021-07-01' })
  revokedOn?: string;
  @ApiPropertyOptional({ example: '材料造假 (falsified documents)' })
  revocationReason?: string;
}

export class CertificatesPage {
  @ApiProperty({ type: [CertificateListItem] })
  items: CertificateListItem[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' })
  nextCursor: string | null;
}
