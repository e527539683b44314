import { Controller, Get, Inject, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { Clock, NotPermitted, refuseOutsideBureauRegion, UnknownEntity } from '@skills/domain-kernel';
import { ProjectionRunner } from '@skills/event-sourcing';
import { answerFreshness, ApiWaitsForFacts, CatchUp, CLOCK, CurrentCaller, FRESHNESS_HEADERS, isConsistent, OrganisationReplica, Permission, UuidParam, withParkedFacts } from '@skills/service-runtime';
import { Request, Response } from 'express';
import { STATISTICS_TOPICS } from '../facts/statistics-facts.consumer';
import { refuseUnrecordedPeriod } from '../figures/periods';
import { StatisticsReader } from '../read-models/statistics-reader';
import { ProviderOutcomesAnswer, StatisticsQuery } from './statistics.dto';
import { outcomesTable } from './statistics-tables';
import { exportsInFlight, TOO_MANY_EXPORTS } from './exports-in-flight';
import { EXPORT_CONTENT, exportFile, exportFormatOf } from './table-export';

const PERMISSION = 'statistics:read-outcomes';

@ApiTags('statistics')
@UseInterceptors(exportsInFlight)
@Controller('api/v1/statistics/providers/:id/outcomes')
export class ProviderOutcomesController {
  constructor(
    private readonly reader: StatisticsReader,
    private readonly organisations: OrganisationReplica,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary: "A school's graduates and their employment",
    description:
      'People who passed a skill course of the school with assessedOn in the period, and how many of them had an employment active within 3 and within 6 months of their course’s end, per course and in all. ' +
      'The school’s own staff, a bureau of its region, a platform admin. Also as CSV or .xlsx (?format= or Accept): the table, then notes (the school, the period, and whether facts were still arriving); in the CSV after an empty row, in the .xlsx on a second sheet, 说明.',
  })
  @Permission(PERMISSION)
  @ApiWaitsForFacts("With ?consistent=true: training's, certification's, placement's and trainee's facts")
  @ApiOkResponse({ type: ProviderOutcomesAnswer, headers: FRESHNESS_HEADERS, content: { 'application/json': { schema: { $ref: '#/components/schemas/ProviderOutcomesAnswer' } }, ...EXPORT_CONTENT } })
  @ApiBadRequestResponse({ description: 'An id that is no UUID; a period that is no month, quarter or year; a period that starts after today (field period, rule period_in_future) or ends before 1950 (period_before_records); an unknown format' })
  @ApiForbiddenResponse({ description: "statistics:read-outcomes: staff of another school, or a bureau officer outside the school's region (or of a bureau whose region is not known)" })
  @ApiNotFoundResponse({ description: 'No training provider with this id' })
  @ApiTooManyRequestsResponse({ description: TOO_MANY_EXPORTS })
  async get(@UuidParam('id') providerId: string, @Query() query: StatisticsQuery, @CurrentCaller() caller: Caller, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    refuseUnrecordedPeriod('period', query.period, this.clock.now());
    await this.refuseReader(providerId, caller);
    const format = exportFormatOf(query.format, request);
    const freshness = withParkedFacts(await this.catchUp.forRead(isConsistent(query), STATISTICS_TOPICS, this.projections), await this.reader.parkedFacts());
    answerFreshness(response, freshness);
    const outcomes = await this.reader.outcomes(providerId, query.period);
    if (format !== 'json') {
      const provider = { id: providerId, name: await this.organisations.nameOf(providerId, 'provider') };
      return exportFile(outcomesTable(provider, query.period, outcomes, { freshness, madeAt: this.clock.now() }), format);
    }
    return { providerId, period: query.period, ...outcomes, freshness };
  }

  /** A school reads its own outcomes, a bureau those of the schools in its region, a platform admin all. */
  private async refuseReader(providerId: string, caller: Caller): Promise<void> {
    if (caller.role === 'school_staff') {
      if (caller.organisationId !== providerId) throw new NotPermitted(PERMISSION, 'the outcomes of another school');
      return;
    }
    const provider = await this.organisations.findCaughtUp(providerId);
    if (!provider || provider.kind !== 'provider') throw new UnknownEntity('provider', providerId);
    // A bureau whose region is not known acts nowhere (never the whole country).
    refuseOutsideBureauRegion(PERMISSION, caller, provider.regionCode);
  }
}
