// What certification-service's routes answer, for the OpenAPI document.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OCCUPATION_CODE, SKILL_LEVELS } from '@skills/domain-kernel';
import { patternOf, FreshnessDoc } from '@skills/service-runtime';

/** A certificate number (domain.md section 1): S or Y, evaluator code, province, site, year, national grade, serial. */
export const CERTIFICATE_NUMBER_PATTERN = '^[SYsy][0-9A-Za-z]{4}[0-9]{10}[0-5][0-9]{6}$';
export const CERTIFICATE_NUMBER_EXAMPLE = 'S000143430200215000001';
/**
 * The number a recorded certificate carries: the current format, or an earlier one that an import of
 * historical certificates kept as issued (6–40 capitals, digits or hyphens, with a digit; `legacyNumber`).
 */
export const RECORDED_CERTIFICATE_NUMBER_PATTERN = '^[0-9A-Za-z-]{6,40}$';
export const RECORDED_CERTIFICATE_NUMBER_DESCRIPTION = 'A certificate number (domain.md section 1), or one of an earlier format an import kept as issued; in any case';
/** How a certificate came onto the ladder: a certification route, or `imported` as issued in an earlier year. */
export const CERTIFICATE_ROUTES = ['assessment', 'direct', 'exceptional', 'appointment', 'imported'] as const;

export class CertifiedAnswer {
  @ApiProperty({ pattern: CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE })
  certificateNumber: string;
  @ApiProperty({ enum: SKILL_LEVELS, example: 'junior' })
  level: string;
  @ApiProperty({ enum: SKILL_LEVELS, nullable: true, example: 'apprentice' })
  previousLevel: string | null;
}

export class RevokedCertificateAnswer {
  @ApiProperty({ pattern: RECORDED_CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE })
  certificateNumber: string;
  @ApiProperty({ enum: ['revoked'] })
  status: 'revoked';
  @ApiProperty({ enum: SKILL_LEVELS, nullable: true, description: 'The level the holder keeps in the occupation, null if none' })
  levelAfter: string | null;
}

export class VoidedCertificateAnswer {
  @ApiProperty({ pattern: RECORDED_CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE })
  certificateNumber: string;
  @ApiProperty({ enum: ['voided'] })
  status: 'voided';
  @ApiProperty({ enum: SKILL_LEVELS, nullable: true, description: 'The level the holder keeps in the occupation, null if none' })
  levelAfter: string | null;
}

export class CertificateVerification {
  @ApiProperty({ pattern: RECORDED_CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE })
  number: string;
  @ApiPropertyOptional({ enum: [true], description: 'Set on an imported certificate whose number is of an earlier format, kept as it was issued' })
  legacyNumber?: true;
  @ApiProperty({ type: String, nullable: true, example: '王**', description: 'Masked: the first character, then one * for each other (maskName); null once erased' })
  holderName: string | null;
  @ApiProperty({ pattern: patternOf(OCCUPATION_CODE), example: '6-18-02-04' })
  occupationCode: string;
  @ApiProperty({ enum: SKILL_LEVELS, example: 'junior' })
  level: string;
  @ApiProperty({ enum: CERTIFICATE_ROUTES, description: '`imported`: a certificate of an earlier year recorded as it was issued' })
  route: string;
  @ApiProperty({ example: '株洲市职业技能鉴定中心' })
  evaluator: string;
  @ApiProperty({ format: 'date', example: '2021-05-20' })
  certifiedOn: string;
  @ApiProperty({ enum: ['valid', 'revoked'] })
  status: string;
  @ApiPropertyOptional({ format: 'date' })
  revokedOn?: string;
  @ApiProperty({ format: 'uri', example: 'https://skills.zhuzhou.example.cn/verify/S000143430200215000001', description: 'Where anyone verifies it: <PUBLIC_ORIGIN>/verify/{number}' })
  verificationUrl: string;
}

export class LadderCertificate {
  @ApiProperty({ pattern: RECORDED_CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE })
  certificateNumber: string;
  @ApiProperty({ enum: SKILL_LEVELS })
  level: string;
  @ApiProperty({ enum: CERTIFICATE_ROUTES, description: '`imported`: a certificate of an earlier year recorded as it was issued' })
  route: string;
  @ApiProperty({ format: 'date', example: '2021-05-20' })
  certifiedOn: string;
  @ApiProperty({ enum: ['valid', 'revoked'] })
  status: string;
  @ApiProperty({ format: 'uri', example: 'https://skills.zhuzhou.example.cn/verify/S000143430200215000001', description: 'Where anyone verifies it: <PUBLIC_ORIGIN>/verify/{number}' })
  verificationUrl: string;
}

export class LadderRung {
  @ApiProperty({ pattern: patternOf(OCCUPATION_CODE), example: '6-18-02-04' })
  occupationCode: string;
  @ApiProperty({ enum: SKILL_LEVELS, nullable: true, description: 'null when every certificate of the occupation was revoked' })
  level: string | null;
  @ApiProperty({ example: 2, description: '0 without a standing certificate' })
  rank: number;
  @ApiProperty({ type: String, format: 'date', nullable: true })
  certifiedOn: string | null;
  @ApiProperty({ type: String, nullable: true, pattern: RECORDED_CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE })
  certificateNumber: string | null;
  @ApiProperty({ type: [LadderCertificate] })
  history: LadderCertificate[];
}

export class DistributionAnswer {
  @ApiProperty({ type: FreshnessDoc, description: 'How complete the figures are: `?consistent=true` waits until they hold every fact accepted before the request' })
  freshness: FreshnessDoc;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(SKILL_LEVELS.map((level) => [level, { type: 'integer', minimum: 0 }])),
    example: { apprentice: 12, junior: 30, intermediate: 8, senior: 3, technician: 1, senior_technician: 0, special_technician: 0, chief_technician: 0 },
  })
  levels: Record<string, number>;
  @ApiProperty({ example: 4, description: 'People at senior or above' })
  highSkill: number;
  @ApiProperty({ example: 54 })
  total: number;
}
