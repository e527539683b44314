import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { businessDateOf } from '@skills/domain-kernel';
import { IsBusinessDate } from '@skills/service-runtime';
import { IsOptional } from 'class-validator';
import { Qualifications } from '../qualification.service';

export class QualificationQuery {
  @ApiPropertyOptional({ example: '2021-09-30', description: 'Business date; default today. Facts dated after it do not count.' })
  @IsOptional()
  @IsBusinessDate()
  asOf?: string;
}

@ApiTags('brands')
@Controller('api/v1/brands/:id/qualification')
export class GetQualificationController {
  constructor(private readonly qualifications: Qualifications) {}

  @Get()
  @ApiOkResponse({ description: '{asOf, trained, passed, passRate, employedInIndustry, employmentRate, ethicsTrainingHeld, qualifies, unmet: [{criterion, actual, required}]}' })
  @ApiNotFoundResponse({ description: 'No brand with this id' })
  async get(@Param('id', new ParseUUIDPipe()) brandId: string, @Query() query: QualificationQuery) {
    const brand = await this.qualifications.brand(brandId);
    return this.qualifications.asOf(brand, query.asOf ?? businessDateOf(new Date()));
  }
}
