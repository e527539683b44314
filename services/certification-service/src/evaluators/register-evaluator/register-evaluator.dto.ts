import { ApiProperty } from '@nestjs/swagger';
import { OrganisationFields } from '@skills/service-runtime';
import { IsIn } from 'class-validator';

export const EVALUATOR_KINDS = ['employer', 'social_organisation'] as const;

/** Its region becomes the site and province of its certificate numbers. */
export class RegisterEvaluatorDto extends OrganisationFields {
  @ApiProperty({ enum: EVALUATOR_KINDS, description: 'employer (用人单位) or social_organisation (社会培训评价组织)' })
  @IsIn(EVALUATOR_KINDS)
  kind: (typeof EVALUATOR_KINDS)[number];
}
