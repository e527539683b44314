import { ConsistentQuery, IsRegionCode } from '@skills/service-runtime';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { OCCUPATION_CODE } from '@skills/domain-kernel';
import { IsOptional, Matches } from 'class-validator';

export class DistributionQuery extends ConsistentQuery {
  @ApiPropertyOptional({ example: '6-18-02-04' })
  @IsOptional()
  @Matches(OCCUPATION_CODE, { message: 'occupationCode must look like D-DD-DD-DD' })
  occupationCode?: string;

  @ApiPropertyOptional({ example: '430200', description: 'A province, city or district code; selects everything inside it' })
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;
}
