import { ApiProperty } from '@nestjs/swagger';
import { EVALUATOR_KINDS, EvaluatorKind } from '@skills/domain-kernel';

/** One evaluator as registered: what its staff's console needs to know of it (its kind decides the routes it certifies by). */
export class EvaluatorAnswer {
  @ApiProperty({ format: 'uuid', example: '3f2b6c1e-8a4d-4e5f-9b7a-2c1d0e9f8a76' })
  evaluatorId: string;
  @ApiProperty({ example: '株洲市职业技能鉴定中心' })
  name: string;
  @ApiProperty({ enum: EVALUATOR_KINDS, description: 'employer (用人单位): certifies by every route; social_organisation (社会培训评价组织): by assessment and exceptional only (domain.md section 2)' })
  kind: EvaluatorKind;
  @ApiProperty({ example: '91430200MA4L00001P', description: 'Unified social credit code (GB 32100)' })
  creditCode: string;
  @ApiProperty({ example: '430200', description: 'GB/T 2260 region code' })
  regionCode: string;
  @ApiProperty({ pattern: '^[0-9A-Z]{4}$', example: '0001', description: "The evaluator's code in its certificate numbers" })
  evaluatorCode: string;
}
