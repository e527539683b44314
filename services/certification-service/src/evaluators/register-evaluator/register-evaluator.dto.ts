import { ApiProperty } from '@nestjs/swagger';
import { REGION_CODE } from '@skills/domain-kernel';
import { IsCreditCode } from '@skills/service-runtime';
import { IsIn, IsString, Length, Matches } from 'class-validator';

export const EVALUATOR_KINDS = ['employer', 'social_organisation'] as const;

export class RegisterEvaluatorDto {
  @ApiProperty({ example: '株洲中车时代电气股份有限公司' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ example: '91430200MA4L00001P' })
  @IsCreditCode()
  creditCode: string;

  @ApiProperty({ enum: EVALUATOR_KINDS, description: 'employer (用人单位) or social_organisation (社会培训评价组织)' })
  @IsIn(EVALUATOR_KINDS)
  kind: (typeof EVALUATOR_KINDS)[number];

  @ApiProperty({ example: '430200', description: 'GB/T 2260 code; becomes the site and province of its certificate numbers' })
  @IsString()
  @Matches(REGION_CODE, { message: 'regionCode must be a 6-digit GB/T 2260 code' })
  regionCode: string;
}
