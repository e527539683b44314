import { ApiProperty } from '@nestjs/swagger';
import { IsCreditCode, IsRegionCode, IsText } from './validators';

/** What every organisation (school, evaluator, employer) registers with; its credit code is its key across services. */
export class OrganisationFields {
  @ApiProperty({ example: '株洲新希望焊接培训学校' })
  @IsText({ maxLength: 100 })
  name: string;

  @ApiProperty({ example: '91430200MA4L00001P', description: 'Unified social credit code (GB 32100)' })
  @IsCreditCode()
  creditCode: string;

  @ApiProperty({ example: '430200', description: 'GB/T 2260 region code' })
  @IsRegionCode()
  regionCode: string;
}
