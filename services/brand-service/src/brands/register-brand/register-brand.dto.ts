import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBusinessDate, IsCreditCode, IsId, IsIndustryCode, IsOccupationCode, IsText } from '@skills/service-runtime';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsObject, IsString, Max, Min, ValidateIf, ValidateNested } from 'class-validator';

/** A count of people: far above any brand's, and a plain integer (1e308 is no threshold). */
const MAX_PEOPLE = 1_000_000;
import { BRAND_TIERS } from '../brand.aggregate';

/** Thresholds differ by place and year, so they travel as data (Zhuzhou 2021: 400 / 0.85 / 0.70 / ethics). */
export class PolicyDto {
  @ApiProperty({ example: '2020-11-01' })
  @IsBusinessDate()
  windowStart: string;

  @ApiProperty({ example: '2021-09-30', description: 'Inclusive; not before windowStart' })
  @IsBusinessDate()
  windowEnd: string;

  @ApiProperty({ example: 400, minimum: 0, maximum: MAX_PEOPLE })
  @IsInt()
  @Min(0)
  @Max(MAX_PEOPLE)
  minTrained: number;

  @ApiProperty({ example: 0.85, description: 'A fraction in [0, 1]' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  minPassRate: number;

  @ApiProperty({ example: 0.7, description: 'A fraction in [0, 1]' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  minEmploymentRate: number;

  @ApiPropertyOptional({ example: 100, minimum: 0, maximum: MAX_PEOPLE, description: 'An absolute number of trained people employed in the industry; left out when the policy has none (null is refused)' })
  // Left out, or an integer: null would be recorded and answered as `minEmployed: null` (IsOptional lets it through).
  @ValidateIf((policy: PolicyDto) => policy.minEmployed !== undefined)
  @IsInt()
  @Min(0)
  @Max(MAX_PEOPLE)
  minEmployed?: number;

  @ApiProperty({ example: true })
  @IsBoolean()
  requiresEthicsTraining: boolean;
}

export class RegisterBrandDto {
  @ApiProperty({
    format: 'uuid',
    description:
      "The bureau whose brand it is: the brand's region is this bureau's, a city's or a county's (a province's or the ministry's is refused, 409 brand_region_above_city: no city bureau could certify it); the caller's bureau must contain it (domain.md section 9)",
  })
  @IsId()
  bureauId: string;

  @ApiProperty({ example: '株洲新希望铆焊工' })
  @IsText({ maxLength: 100 })
  name: string;

  @ApiProperty({ enum: BRAND_TIERS, description: 'The tier of the programme the brand is registered in' })
  @IsIn(BRAND_TIERS)
  tier: (typeof BRAND_TIERS)[number];

  @ApiProperty({ example: 'C37' })
  @IsString()
  @IsIndustryCode()
  industryCode: string;

  @ApiProperty({ example: ['6-18-02-04'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsOccupationCode({ each: true })
  occupationCodes: string[];

  @ApiProperty({ example: ['91430200MA4L00001P'], description: "Credit codes of the providers and employers that build the brand (建设单位): each one registered on the platform (400 building_unit_unknown) in the bureau's region (400 building_unit_outside_region), named buildingUnits.<index> (buildingUnits.0 the first) in a refusal, as an array item is named" })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsCreditCode({ each: true })
  buildingUnits: string[];

  @ApiProperty({ type: PolicyDto })
  // One object: missing, null or an array is refused here (isObject), never reaches the aggregate.
  @IsObject()
  @ValidateNested()
  @Type(() => PolicyDto)
  policy: PolicyDto;
}
