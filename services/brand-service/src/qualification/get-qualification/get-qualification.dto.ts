import { ApiPropertyOptional } from '@nestjs/swagger';
import { ConsistentQuery, IsBusinessDate } from '@skills/service-runtime';
import { IsOptional } from 'class-validator';

export class QualificationQuery extends ConsistentQuery {
  @ApiPropertyOptional({ example: '2021-09-30', description: 'Business date; default today, not after it (400 date_in_future). Facts dated after it do not count.' })
  @IsOptional()
  @IsBusinessDate()
  asOf?: string;
}
