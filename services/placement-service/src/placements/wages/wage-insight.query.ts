import { ApiProperty } from '@nestjs/swagger';
import { OCCUPATION_CODE } from '@skills/domain-kernel';
import { ConsistentQuery, IsRegionCode } from '@skills/service-runtime';
import { Matches } from 'class-validator';

/** With ?consistent=true the insight waits for every hire, certificate and revocation accepted before the request. */
export class WageInsightQuery extends ConsistentQuery {
  @ApiProperty({ example: '6-18-02-04', description: 'The occupation of the hires' })
  @Matches(OCCUPATION_CODE, { message: 'occupationCode must look like D-DD-DD-DD' })
  occupationCode: string;

  @ApiProperty({ example: '430200', description: "A province, city or district: hires at placements inside it" })
  @IsRegionCode()
  regionCode: string;
}
