import { PipeTransform } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InvalidInput, IsText } from '@skills/service-runtime';
import { BRAND_TIERS, BrandTier } from '../brand.aggregate';

export class RevokeBrandCertificationDto {
  @ApiProperty({ example: '复核不达标' })
  @IsText({ maxLength: 500 })
  reason: string;
}

/** The tier in the path: an unknown one is a 400 naming it. */
export class TierPipe implements PipeTransform<string, BrandTier> {
  transform(value: string): BrandTier {
    if (!(BRAND_TIERS as readonly string[]).includes(value)) throw new InvalidInput([{ field: 'tier', rule: 'isIn', message: `tier must be one of ${BRAND_TIERS.join(', ')}` }]);
    return value as BrandTier;
  }
}
