import { Controller, Get, Inject, Param, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { Clock, NATIONAL_REGION, readRegionCode, REGION_CODE, refuseOutsideBureauRegion } from '@skills/domain-kernel';
import { ProjectionRunner } from '@skills/event-sourcing';
import { answerFreshness, ApiWaitsForFacts, CatchUp, CLOCK, CurrentCaller, FRESHNESS_HEADERS, InvalidInput, isConsistent, Permission, patternOf, withParkedFacts } from '@skills/service-runtime';
import { Request, Response } from 'express';
import { STATISTICS_TOPICS } from '../facts/statistics-facts.consumer';
import { refuseUnrecordedPeriod } from '../figures/periods';
import { StatisticsReader } from '../read-models/statistics-reader';
import { RegionStatisticsAnswer, RegionStatisticsQuery } from './statistics.dto';
import { regionTable } from './statistics-tables';
import { exportsInFlight, TOO_MANY_EXPORTS } from './exports-in-flight';
import { EXPORT_CONTENT, exportFile, exportFormatOf } from './table-export';

@ApiTags('statistics')
@UseInterceptors(exportsInFlight)
@Controller('api/v1/statistics/regions/:regionCode')
export class RegionStatisticsController {
  constructor(
    private readonly reader: StatisticsReader,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A bureau's figures for a month, quarter or year: read from the sums kept per region and period, never from the history. */
  @Get()
  @ApiOperation({
    summary: 'The statistics of a region for a period',
    description:
      'Training counts by the provider’s region, certification by the evaluator’s, hires by the employer’s (domain.md section 6), all by business date: ' +
      'a record entered later for an earlier date counts in the period of its date. A province or city includes every area inside it. ' +
      'Also as CSV or .xlsx with Chinese column titles (?format= or Accept): the table (a header row, then one row per figure), then notes saying what it holds and, when facts were still arriving, that it may be incomplete; in the CSV after an empty row, in the .xlsx on a second sheet, 说明. A reader of the CSV takes the rows up to the first empty one.',
  })
  @ApiParam({ name: 'regionCode', example: '430000', schema: { type: 'string', pattern: patternOf(REGION_CODE) } })
  @Permission('statistics:read-region')
  @ApiWaitsForFacts("With ?consistent=true: training's, certification's, placement's and trainee's facts")
  @ApiOkResponse({ type: RegionStatisticsAnswer, description: 'The figures, by category too', headers: FRESHNESS_HEADERS, content: { 'application/json': { schema: { $ref: '#/components/schemas/RegionStatisticsAnswer' } }, ...EXPORT_CONTENT } })
  @ApiBadRequestResponse({ description: 'A region code that is no GB/T 2260 code nor 000000 (field regionCode, rule isRegionCode); a period that is no month, quarter or year; a period that starts after today (field period, rule period_in_future) or ends before 1950 (period_before_records); an occupation code of the wrong form; an unknown format' })
  @ApiForbiddenResponse({ description: "statistics:read-region: a bureau officer asking for a region outside its bureau's, or for any region when its bureau's region is not known" })
  @ApiTooManyRequestsResponse({ description: TOO_MANY_EXPORTS })
  async get(@Param('regionCode') regionCode: string, @Query() query: RegionStatisticsQuery, @CurrentCaller() caller: Caller, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    // A GB/T 2260 code (domain.md section 1), as every region field is read (IsRegionCode), or 000000, the nation.
    const reading = regionCode === NATIONAL_REGION ? undefined : readRegionCode(regionCode);
    if (reading && !reading.ok) throw new InvalidInput([{ field: 'regionCode', rule: 'isRegionCode', message: `regionCode: ${reading.problem}` }]);
    refuseUnrecordedPeriod('period', query.period, this.clock.now());
    refuseOutsideBureauRegion('statistics:read-region', caller, regionCode);
    const format = exportFormatOf(query.format, request);
    const freshness = withParkedFacts(await this.catchUp.forRead(isConsistent(query), STATISTICS_TOPICS, this.projections), await this.reader.parkedFacts());
    answerFreshness(response, freshness);
    const figures = await this.reader.region(regionCode, query.period, query.occupationCode);
    if (format !== 'json') return exportFile(regionTable({ regionCode, period: query.period, occupationCode: query.occupationCode }, figures, { freshness, madeAt: this.clock.now() }), format);
    return { regionCode, period: query.period, occupationCode: query.occupationCode ?? null, ...figures, freshness };
  }
}
