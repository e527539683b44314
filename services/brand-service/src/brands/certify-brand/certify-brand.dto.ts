import { ApiProperty } from '@nestjs/swagger';
import { IsBusinessDate } from '@skills/service-runtime';
import { IsIn } from 'class-validator';
import { BRAND_TIERS, BrandTier } from '../brand.aggregate';

export class CertifyBrandDto {
  @ApiProperty({ enum: BRAND_TIERS })
  @IsIn(BRAND_TIERS)
  tier: BrandTier;

  /** Not in the future: refused by the brand aggregate (date_in_future on decidedOn). */
  @ApiProperty({ example: '2021-10-15', description: 'The decision date the brand must qualify as of; not in the future' })
  @IsBusinessDate()
  decidedOn: string;
}
