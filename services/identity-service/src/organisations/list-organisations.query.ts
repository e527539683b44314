import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsPageCursor, IsRegionCode, IsText, PageQuery } from '@skills/service-runtime';
import { IsIn, IsOptional } from 'class-validator';
import { ORGANISATION_KINDS, OrganisationKind } from '@skills/contracts';

export class ListOrganisationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORGANISATION_KINDS })
  @IsOptional()
  @IsIn(ORGANISATION_KINDS)
  kind?: OrganisationKind;

  @ApiPropertyOptional({ enum: ORGANISATION_KINDS, description: 'Leaves out the organisations of this kind (a bureau officer choosing whom to manage: no bureaus), before the page is cut' })
  @IsOptional()
  @IsIn(ORGANISATION_KINDS)
  exceptKind?: OrganisationKind;

  @ApiPropertyOptional({ example: '430200', description: 'A province, city or district; selects organisations inside it' })
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;

  @ApiPropertyOptional({ description: 'Part of the name, any case' })
  @IsOptional()
  @IsText({ maxLength: 100 })
  q?: string;

  @IsPageCursor()
  cursor?: string;
}
