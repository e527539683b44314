import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { Clock, refuseFutureDate, todayBy } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { answerFreshness, ApiWaitsForFacts, CatchUp, CLOCK, CurrentCaller, FRESHNESS_HEADERS, isConsistent, Permission, UuidParam } from '@skills/service-runtime';
import { Response } from 'express';
import { BrandReaders } from '../../brands/brand-reader';
import { brandAggregate, brandStreamId, refuseBrandReader } from '../../brands/brand.aggregate';
import { Qualifications } from '../qualification.service';
import { FIGURES_WAIT, freshnessOfFigures } from '../figures-freshness';
import { QualificationQuery } from './get-qualification.dto';
import { QualificationAnswer } from '../../brand-answers';

@ApiTags('brands')
@Controller('api/v1/brands/:id/qualification')
export class GetQualificationController {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly qualifications: Qualifications,
    private readonly readers: BrandReaders,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catchUp: CatchUp,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Judge a brand\'s qualification', description: 'The figures of the brand\'s policy window as of a day (today by default) and the criteria it does not meet.' })
  @Permission('brands:read-qualification')
  @ApiWaitsForFacts(FIGURES_WAIT)
  @ApiOkResponse({ type: QualificationAnswer, description: '{asOf, trained, passed, passRate, employedInIndustry, employmentRate, ethicsTrainingHeld, qualifies, unmet: [{criterion, actual, required}], freshness}', headers: FRESHNESS_HEADERS })
  @ApiBadRequestResponse({ description: 'An id that is no UUID; an asOf that is no date from 1950-01-01, or after today (field asOf, rule date_in_future: facts of later days are not known yet)' })
  @ApiForbiddenResponse({ description: "brands:read-qualification: a bureau officer outside the brand's region, or staff of none of its building units" })
  @ApiNotFoundResponse({ description: 'No brand with this id' })
  async get(@UuidParam('id') brandId: string, @Query() query: QualificationQuery, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response) {
    // An answer as of a day to come would count today's facts and call itself that day's.
    if (query.asOf !== undefined) refuseFutureDate('asOf', query.asOf, this.clock.now());
    const brand = await this.commands.existing(mustExist(brandStreamId(brandId), 'brand', brandId), brandAggregate);
    refuseBrandReader(brand.brand, await this.readers.of(caller), 'brands:read-qualification');
    // The figures are results and employments from training's and placement's topics, counted into the
    // brand's figures (not all of them yet while its backfill or a counting-rule upgrade runs).
    const freshness = await freshnessOfFigures(this.catchUp, this.qualifications, brandId, isConsistent(query));
    answerFreshness(response, freshness);
    return { ...(await this.qualifications.asOf(brand, query.asOf ?? todayBy(this.clock))), freshness };
  }
}
