import { PipeTransform } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { InvalidInput, IsBusinessDate, IsKeptText } from '@skills/service-runtime';
import { IsOptional } from 'class-validator';
import { BRAND_TIERS, BrandTier } from '../brand.aggregate';

export class RevokeBrandCertificationDto {
  @ApiProperty({ example: '复核不达标', description: 'Why, kept with the decision for good: an identity number or a mobile number is refused (400 personal_data_in_text)' })
  @IsKeptText({ maxLength: 500 })
  reason: string;

  /** Not in the future, nor before the certification was decided, nor on or before the decision of the tier above standing on it: refused by the brand aggregate. */
  @ApiPropertyOptional({
    example: '2022-01-01',
    description: 'Business date of the revocation; defaults to today; not in the future, nor before the certification was decided, nor on or before the decision of a certification of the tier above that stood on this one (409 higher_tier_depends_on_it)',
  })
  @IsOptional()
  @IsBusinessDate()
  revokedOn?: string;
}

/** The tier in the path: an unknown one is a 400 naming it. */
export class TierPipe implements PipeTransform<string, BrandTier> {
  transform(value: string): BrandTier {
    if (!(BRAND_TIERS as readonly string[]).includes(value)) throw new InvalidInput([{ field: 'tier', rule: 'isIn', message: `tier must be one of ${BRAND_TIERS.join(', ')}` }]);
    return value as BrandTier;
  }
}
