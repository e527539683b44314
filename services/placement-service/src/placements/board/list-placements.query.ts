import { IsId, IsRegionCode, PageQuery } from '@skills/service-runtime';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { OCCUPATION_CODE, SKILL_LEVELS } from '@skills/domain-kernel';
import { IsIn, IsOptional, Matches } from 'class-validator';

export class ListPlacementsQuery extends PageQuery {
  @ApiPropertyOptional({ example: '6-18-02-04' })
  @IsOptional()
  @Matches(OCCUPATION_CODE, { message: 'occupationCode must look like D-DD-DD-DD' })
  occupationCode?: string;

  @ApiPropertyOptional({ example: '430200', description: 'A province, city or district; selects placements inside it' })
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "One employer's placements (its workspace lists them here)" })
  @IsOptional()
  @IsId({ message: 'employerId must be a UUID' })
  employerId?: string;

  @ApiPropertyOptional({ enum: ['open', 'closed'], description: 'open: taking hires (not closed, openings left); closed: closed or filled' })
  @IsOptional()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';

  @ApiPropertyOptional({ enum: SKILL_LEVELS, description: 'Placements a worker at this level may take (their minimum level is at most this)' })
  @IsOptional()
  @IsIn(SKILL_LEVELS)
  minLevel?: (typeof SKILL_LEVELS)[number];

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  // At most 18 digits: 19 may pass bigint's range, which the query would refuse.
  @Matches(/^\d{1,18}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}
