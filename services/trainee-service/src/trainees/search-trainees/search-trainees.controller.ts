import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@skills/contracts';
import { AuditTrail, CurrentCaller, Permission, QuestionByPost } from '@skills/service-runtime';
import { TraineesPage } from '../../trainee-answers';
import { traineeStreamId } from '../trainee.aggregate';
import { SearchTraineesQuery } from './search-trainees.query';
import { TraineeSearch } from './trainee-search';

const WHO_IS_FOUND =
  'The trainees the caller may see in full (the trainee themself; staff of an organisation that registered, enrolled, certified or employed them; platform_admin), newest registration first, optionally by name or by the last digits of the identity number. Trainees whose personal data was erased, or whose registration was voided, are not listed. Each trainee shown is audited as a read of their personal data.';
const PAGE = '{items: [{id, name, idNumberMasked, birthDate, gender, regionCode, registeredOn}], nextCursor}';
const REFUSED = 'q shorter than 2 characters, or 1 to 3 digits, or more than an identity number; limit outside 1..100; a cursor that is no nextCursor';

@ApiTags('trainees')
@Controller('api/v1/trainees')
export class SearchTraineesController {
  constructor(
    private readonly search: TraineeSearch,
    private readonly audit: AuditTrail,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Find trainees', description: `${WHO_IS_FOUND} The console asks by POST /api/v1/trainees/search, which keeps the name or digits out of the URL.` })
  @Permission('trainees:read')
  @ApiOkResponse({ type: TraineesPage, description: PAGE })
  @ApiBadRequestResponse({ description: REFUSED })
  find(@Query() query: SearchTraineesQuery, @CurrentCaller() caller: Caller): Promise<TraineesPage> {
    return this.answer(query, caller);
  }

  /**
   * The same question in a body: a name or the digits of an identity number in a URL end up in the
   * access logs of every proxy on the way (an ingress logs its request lines) and in browser history.
   */
  @Post('search')
  @QuestionByPost()
  @HttpCode(200)
  @ApiOperation({ summary: 'Find trainees (the question in the body)', description: `${WHO_IS_FOUND} As GET /api/v1/trainees, with q, limit and cursor in the body, out of the URL.` })
  @Permission('trainees:read')
  @ApiOkResponse({ type: TraineesPage, description: PAGE })
  @ApiBadRequestResponse({ description: REFUSED })
  findByPost(@Body() question: SearchTraineesQuery, @CurrentCaller() caller: Caller): Promise<TraineesPage> {
    return this.answer(question, caller);
  }

  private async answer(question: SearchTraineesQuery, caller: Caller): Promise<TraineesPage> {
    const page = await this.search.search(caller, question);
    // As GET /trainees/{id}: one audit line per trainee whose personal data the answer shows, committed before it leaves.
    await Promise.all(page.items.map((item) => this.audit.read(caller, 'trainees:read', traineeStreamId(item.id))));
    return page;
  }
}
