import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { NATIONAL_REGION } from '@skills/domain-kernel';
import { ConsistentQuery, IsPageCursor, IsRegionCode, PageQuery } from '@skills/service-runtime';
import { BrandAnswer } from '../../brand-answers';
import { IsIn, IsOptional, ValidateIf } from 'class-validator';
import { BRAND_TIERS, BrandTier } from '../brand.aggregate';

export class ListBrandsQuery extends IntersectionType(PageQuery, ConsistentQuery) {
  @ApiPropertyOptional({
    example: '430200',
    description: "A province, city or district code, or 000000 for the whole country (the ministry's region); selects the brands inside it. A bureau officer: its bureau's region by default, and only a region inside it",
  })
  @IsOptional()
  // 000000 names no province, so the GB/T 2260 reading would refuse it: the ministry's region is let
  // through by name, as a bureau's registration and the region statistics take it.
  @ValidateIf((query: ListBrandsQuery) => query.regionCode !== NATIONAL_REGION)
  @IsRegionCode()
  regionCode?: string;

  @ApiPropertyOptional({ enum: BRAND_TIERS, description: 'The tier the brand was registered in' })
  @IsOptional()
  @IsIn(BRAND_TIERS)
  tier?: BrandTier;

  @ApiPropertyOptional({ enum: BRAND_TIERS, description: "The tier of a standing certification the brand holds (the ministry's national brands, whatever tier they were registered in)" })
  @IsOptional()
  @IsIn(BRAND_TIERS)
  certifiedTier?: BrandTier;

  @IsPageCursor()
  cursor?: string;
}

/** A certification decision without the figures it was based on (GET /api/v1/brands/{id} has those). */
export class BrandCertificationSummary {
  @ApiProperty({ enum: BRAND_TIERS })
  tier: string;
  @ApiProperty({ format: 'date', example: '2021-10-15' })
  decidedOn: string;
  @ApiProperty({ enum: ['standing', 'revoked'] })
  status: string;
  @ApiPropertyOptional({ format: 'date', example: '2022-01-01' })
  revokedOn?: string;
}

/** A brand as the list shows it: GET /api/v1/brands/{id} without its building units, policy and the decisions' figures. */
export class BrandListItem extends PickType(BrandAnswer, ['id', 'name', 'bureauId', 'regionCode', 'tier', 'industryCode', 'occupationCodes', 'registeredOn'] as const) {
  @ApiProperty({ type: [BrandCertificationSummary], description: 'Every certification decision in the order recorded, standing or revoked' })
  certifications: BrandCertificationSummary[];
}

export class BrandsPage {
  @ApiProperty({ type: [BrandListItem] })
  items: BrandListItem[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' })
  nextCursor: string | null;
}
