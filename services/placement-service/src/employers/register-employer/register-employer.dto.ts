import { ApiProperty } from '@nestjs/swagger';
import { INDUSTRY_CODE, REGION_CODE } from '@skills/domain-kernel';
import { IsCreditCode } from '@skills/service-runtime';
import { IsString, Length, Matches } from 'class-validator';

export class RegisterEmployerDto {
  @ApiProperty({ example: '株洲九方装备股份有限公司' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ example: '91430200MA4L00001P' })
  @IsCreditCode()
  creditCode: string;

  @ApiProperty({ example: 'C37', description: 'GB/T 4754 section letter and division digits' })
  @IsString()
  @Matches(INDUSTRY_CODE, { message: 'industryCode must be a GB/T 4754 section letter and two division digits, e.g. C37' })
  industryCode: string;

  @ApiProperty({ example: '430200' })
  @IsString()
  @Matches(REGION_CODE, { message: 'regionCode must be a 6-digit GB/T 2260 code' })
  regionCode: string;
}
