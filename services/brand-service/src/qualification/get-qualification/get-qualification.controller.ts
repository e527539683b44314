import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Clock, todayBy } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { CLOCK, Permission } from '@skills/service-runtime';
import { brandAggregate, brandStreamId } from '../../brands/brand.aggregate';
import { Qualifications } from '../qualification.service';
import { QualificationQuery } from './get-qualification.dto';

@ApiTags('brands')
@Controller('api/v1/brands/:id/qualification')
export class GetQualificationController {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly qualifications: Qualifications,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Permission('brands:read-qualification')
  @ApiOkResponse({ description: '{asOf, trained, passed, passRate, employedInIndustry, employmentRate, ethicsTrainingHeld, qualifies, unmet: [{criterion, actual, required}]}' })
  @ApiNotFoundResponse({ description: 'No brand with this id' })
  async get(@Param('id', new ParseUUIDPipe()) brandId: string, @Query() query: QualificationQuery) {
    const brand = await this.commands.existing(mustExist(brandStreamId(brandId), 'brand', brandId), brandAggregate);
    return this.qualifications.asOf(brand, query.asOf ?? todayBy(this.clock));
  }
}
