// What brand-service's routes answer, for the OpenAPI document.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INDUSTRY_CODE, OCCUPATION_CODE, REGION_CODE } from '@skills/domain-kernel';
import { patternOf, FreshnessDoc } from '@skills/service-runtime';
import { BRAND_TIERS } from './brands/brand.aggregate';
import { PolicyDto } from './brands/register-brand/register-brand.dto';

export class UnmetCriterionAnswer {
  @ApiProperty({ enum: ['minTrained', 'minPassRate', 'minEmploymentRate', 'minEmployed', 'requiresEthicsTraining'] })
  criterion: string;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'boolean' }], example: 0.82 })
  actual: number | boolean;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'boolean' }], example: 0.85 })
  required: number | boolean;
}

/** The figures of a brand's policy as of a day: what a qualification read shows and a certification keeps. */
export class QualificationFigures {
  @ApiProperty({ format: 'date', example: '2021-09-30' })
  asOf: string;
  @ApiProperty({ example: 412 })
  trained: number;
  @ApiProperty({ example: 356 })
  passed: number;
  @ApiProperty({ example: 0.8641 })
  passRate: number;
  @ApiProperty({ example: 301 })
  employedInIndustry: number;
  @ApiProperty({ example: 0.7306 })
  employmentRate: number;
  @ApiProperty()
  ethicsTrainingHeld: boolean;
  @ApiProperty()
  qualifies: boolean;
  @ApiProperty({ type: [UnmetCriterionAnswer] })
  unmet: UnmetCriterionAnswer[];
}

export class QualificationAnswer extends QualificationFigures {
  @ApiProperty({ type: FreshnessDoc, description: 'How complete the figures are: `?consistent=true` waits until they hold every fact accepted before the request' })
  freshness: FreshnessDoc;
}

export class BrandCertificationAnswer {
  @ApiProperty({ enum: BRAND_TIERS })
  tier: string;
  @ApiProperty({ format: 'date', example: '2021-10-15' })
  decidedOn: string;
  @ApiProperty({ type: QualificationFigures })
  figures: QualificationFigures;
  @ApiProperty({
    example: 1204,
    description:
      'The highest number among the facts applied here that the decision saw; for information only. A fact’s number is drawn when it is written, not when it commits, so one with a lower number may not have been in the figures yet: `basedOnFacts` is what the decision waited for',
  })
  basedOnFactSequence: number;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
    example: { 'skills.placement.events.v1': { '0': 412, '1': 398 } },
    description: "How far training's and placement's facts had reached when it was decided (per topic and partition, or the source outbox in one process); absent on decisions recorded before it was kept",
  })
  basedOnFacts?: Record<string, Record<string, number>>;
}

export class BrandCertificationEntry extends BrandCertificationAnswer {
  @ApiProperty({ enum: ['standing', 'revoked'] })
  status: string;
  @ApiPropertyOptional({ format: 'date' })
  revokedOn?: string;
  @ApiPropertyOptional({ example: '培训质量抽查不合格' })
  revocationReason?: string;
}

export class BrandAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  bureauId: string;
  @ApiProperty({ example: '株洲新希望铆焊工' })
  name: string;
  @ApiProperty({ pattern: patternOf(REGION_CODE), example: '430200' })
  regionCode: string;
  @ApiProperty({ enum: BRAND_TIERS })
  tier: string;
  @ApiProperty({ pattern: patternOf(INDUSTRY_CODE), example: 'C37' })
  industryCode: string;
  @ApiProperty({ type: 'array', items: { type: 'string', pattern: patternOf(OCCUPATION_CODE) }, example: ['6-18-02-04'] })
  occupationCodes: string[];
  @ApiProperty({ type: [String], example: ['91430200MA4L00001P'], description: 'Credit codes of the building units' })
  buildingUnits: string[];
  @ApiProperty({ type: PolicyDto })
  policy: PolicyDto;
  @ApiProperty({ format: 'date', example: '2021-03-01' })
  registeredOn: string;
  @ApiProperty({ type: [BrandCertificationEntry] })
  certifications: BrandCertificationEntry[];
}

export class RevokedBrandCertificationAnswer {
  @ApiProperty({ enum: BRAND_TIERS })
  tier: string;
  @ApiProperty({ enum: ['revoked'] })
  status: 'revoked';
  @ApiProperty({ format: 'date', example: '2022-01-01', description: 'The business date the certification stops standing' })
  revokedOn: string;
}

export class RebuiltFiguresAnswer {
  @ApiProperty({ format: 'uuid' })
  brandId: string;
  @ApiProperty({ enum: [true] })
  rebuilt: true;
}
