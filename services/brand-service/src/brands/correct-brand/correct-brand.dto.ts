import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCreditCode, IsIndustryCode, IsKeptText, IsOccupationCode, IsText } from '@skills/service-runtime';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsString, ValidateIf, ValidateNested } from 'class-validator';
import { CORRECTABLE_BRAND_FIELDS, CorrectableBrandField } from '../brand.aggregate';
import { PolicyDto } from '../register-brand/register-brand.dto';

/**
 * A correction of a brand registered with a mistake: the fields given replace the recorded ones, each
 * judged as registration judges it; at least one is given (nothing_to_correct). A field left out stays as
 * it is; one given as null is refused like any other invalid value. The bureau, region and tier are not
 * corrected: a brand of another tier is another brand (register it).
 */
export class CorrectBrandDto {
  @ApiPropertyOptional({ example: '株洲新希望铆焊工', description: "Unique in the brand's region, trimmed (409 brand_name_taken, existingId); the old name is released" })
  @ValidateIf((body: CorrectBrandDto) => body.name !== undefined)
  @IsText({ maxLength: 100 })
  name?: string;

  @ApiPropertyOptional({ example: ['6-18-02-04'], description: 'The whole list as it should stand (the same codes in another order change nothing)' })
  @ValidateIf((body: CorrectBrandDto) => body.occupationCodes !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsOccupationCode({ each: true })
  occupationCodes?: string[];

  @ApiPropertyOptional({
    example: ['91430200MA4L00001P'],
    description:
      "The whole list of building units' credit codes as it should stand, judged as registration judges them: each one a provider or employer registered on the platform (400 building_unit_unknown) in the brand's region (400 building_unit_outside_region), named buildingUnits.<index> in a refusal",
  })
  @ValidateIf((body: CorrectBrandDto) => body.buildingUnits !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsCreditCode({ each: true })
  buildingUnits?: string[];

  @ApiPropertyOptional({ example: 'C37' })
  @ValidateIf((body: CorrectBrandDto) => body.industryCode !== undefined)
  @IsString()
  @IsIndustryCode()
  industryCode?: string;

  @ApiPropertyOptional({
    type: PolicyDto,
    description:
      'The whole policy as it should stand (windowEnd not before windowStart: policy_window_inverted). Certifications already decided keep the figures they were decided on; qualification reads judge by the corrected policy',
  })
  @ValidateIf((body: CorrectBrandDto) => body.policy !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => PolicyDto)
  policy?: PolicyDto;

  @ApiProperty({
    example: '登记时品牌名称录入错误 (the name was mistyped at registration)',
    description:
      'What was recorded in error, kept with the record for good: do not write anyone’s name, identity number or phone here (an identity number or mobile number is refused: 400 personal_data_in_text)',
  })
  @IsKeptText({ maxLength: 500 })
  reason: string;
}

export class CorrectedBrandAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({
    enum: CORRECTABLE_BRAND_FIELDS,
    isArray: true,
    description: 'The fields the correction changed; empty when every field given was as recorded already (nothing recorded: a retried correction)',
  })
  corrected: CorrectableBrandField[];
}
