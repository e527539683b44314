import { ApiProperty } from '@nestjs/swagger';
import { OCCUPATION_CODE } from '@skills/domain-kernel';
import { IsRegionCode } from '@skills/service-runtime';
import { Matches } from 'class-validator';

export class WageInsightQuery {
  @ApiProperty({ example: '6-18-02-04', description: 'The occupation of the hires' })
  @Matches(OCCUPATION_CODE, { message: 'occupationCode must look like D-DD-DD-DD' })
  occupationCode: string;

  @ApiProperty({ example: '430200', description: "A province, city or district: hires at placements inside it" })
  @IsRegionCode()
  regionCode: string;
}
