import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CommandHandler } from '@skills/event-sourcing';
import { currentCorrelation, IsBusinessDate, IsNotFutureDate } from '@skills/service-runtime';
import { IsIn } from 'class-validator';
import { Qualifications } from '../../qualification/qualification.service';
import { BRAND_TIERS, brandAggregate, brandStreamId } from '../brand.aggregate';

export class CertifyBrandDto {
  @ApiProperty({ enum: BRAND_TIERS })
  @IsIn(BRAND_TIERS)
  tier: (typeof BRAND_TIERS)[number];

  @ApiProperty({ example: '2021-10-15', description: 'The decision date the brand must qualify as of; not in the future' })
  @IsBusinessDate()
  @IsNotFutureDate()
  decidedOn: string;
}

@ApiTags('brands')
@Controller('api/v1/brands/:id/certifications')
export class CertifyBrandController {
  constructor(
    private readonly commands: CommandHandler,
    private readonly qualifications: Qualifications,
  ) {}

  @Post()
  @ApiCreatedResponse({ description: 'Certified: {tier, decidedOn, figures, basedOnFactSequence}' })
  @ApiConflictResponse({ description: 'brand_does_not_qualify (with unmet), requires_city_certification, requires_provincial_certification, tier_already_certified' })
  async certify(@Param('id', new ParseUUIDPipe()) brandId: string, @Body() body: CertifyBrandDto) {
    const brand = await this.qualifications.brand(brandId);
    const { qualification, basedOnFactSequence } = await this.qualifications.forDecision(brand, body.decidedOn);
    const { events } = await this.commands.handle({
      streamId: brandStreamId(brandId),
      aggregate: brandAggregate,
      command: { type: 'CertifyBrand', tier: body.tier, decidedOn: body.decidedOn, qualification, basedOnFactSequence },
      metadata: currentCorrelation(),
    });
    const [certified] = events;
    return certified.type === 'BrandCertified' ? certified.data : undefined;
  }
}
