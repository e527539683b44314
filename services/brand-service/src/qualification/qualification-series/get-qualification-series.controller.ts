import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { Clock, refuseFutureDate, todayBy } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { answerFreshness, ApiWaitsForFacts, CatchUp, CLOCK, CurrentCaller, FRESHNESS_HEADERS, InvalidInput, isConsistent, Permission, UuidParam } from '@skills/service-runtime';
import { Response } from 'express';
import { BrandReaders } from '../../brands/brand-reader';
import { brandAggregate, brandStreamId, refuseBrandReader } from '../../brands/brand.aggregate';
import { FIGURES_WAIT, freshnessOfFigures } from '../figures-freshness';
import { Qualifications } from '../qualification.service';
import { MAX_SERIES_POINTS, QualificationSeriesAnswer, QualificationSeriesQuery } from './qualification-series.dto';
import { QualificationSeries } from './qualification-series';
import { seriesDates } from './series-dates';

@ApiTags('brands')
@Controller('api/v1/brands/:id/qualification/series')
export class GetQualificationSeriesController {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly series: QualificationSeries,
    private readonly readers: BrandReaders,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catchUp: CatchUp,
    private readonly qualifications: Qualifications,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Chart a brand's qualification",
    description: `The qualification as of every month end through the policy window (by default from its start to its end, or to today if that is earlier), with the policy's thresholds: trained, pass rate and employment rate over time. At most ${MAX_SERIES_POINTS} points.`,
  })
  @Permission('brands:read-qualification')
  @ApiWaitsForFacts(FIGURES_WAIT)
  @ApiOkResponse({
    type: QualificationSeriesAnswer,
    description: '{brandId, from, to, policy: {windowStart, windowEnd, minTrained, minPassRate, minEmploymentRate, minEmployed?, requiresEthicsTraining}, points: [{asOf, trained, passed, passRate, employedInIndustry, employmentRate, ethicsTrainingHeld, qualifies, unmet}], freshness}',
    headers: FRESHNESS_HEADERS,
  })
  @ApiBadRequestResponse({ description: `from or to not a date, to after today (rule date_in_future: facts of later days are not known yet), from after to (rule from_after_to), or more than ${MAX_SERIES_POINTS} points between them (rule too_many_points)` })
  @ApiForbiddenResponse({ description: "brands:read-qualification: a bureau officer outside the brand's region, or staff of none of its building units" })
  @ApiNotFoundResponse({ description: 'No brand with this id' })
  async get(@UuidParam('id') brandId: string, @Query() query: QualificationSeriesQuery, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response): Promise<QualificationSeriesAnswer> {
    const brand = await this.commands.existing(mustExist(brandStreamId(brandId), 'brand', brandId), brandAggregate);
    refuseBrandReader(brand.brand, await this.readers.of(caller), 'brands:read-qualification');
    const { policy } = brand.brand;
    // Facts of later days are not known yet: a point after today would read as a complete zero.
    if (query.to !== undefined) refuseFutureDate('to', query.to, this.clock.now());
    const today = todayBy(this.clock);
    const from = query.from ?? policy.windowStart;
    const to = query.to ?? (policy.windowEnd < today ? policy.windowEnd : today);
    // A field the client sent is named; by default (a window not begun yet) there is simply nothing to show.
    const named = query.to !== undefined && query.from === undefined ? 'to' : 'from';
    if (from > to && (query.from !== undefined || query.to !== undefined)) {
      throw new InvalidInput([{ field: named, rule: 'from_after_to', message: `from ${from} is after to ${to}` }]);
    }
    const days = seriesDates(from, to, MAX_SERIES_POINTS);
    if (days.length > MAX_SERIES_POINTS) {
      throw new InvalidInput([{ field: named, rule: 'too_many_points', message: `${from} to ${to} holds more than ${MAX_SERIES_POINTS} month ends; ask for a shorter span` }]);
    }
    // The figures are results and employments from training's and placement's topics, counted into the
    // brand's figures (not all of them yet while its backfill or a counting-rule upgrade runs).
    const freshness = await freshnessOfFigures(this.catchUp, this.qualifications, brandId, isConsistent(query));
    answerFreshness(response, freshness);
    return { brandId, from, to, policy: { ...policy }, points: await this.series.asOf(brand, days), freshness };
  }
}
