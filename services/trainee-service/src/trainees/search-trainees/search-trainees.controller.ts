import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@skills/contracts';
import { AuditTrail, CurrentCaller, Permission } from '@skills/service-runtime';
import { TraineesPage } from '../../trainee-answers';
import { traineeStreamId } from '../trainee.aggregate';
import { SearchTraineesQuery } from './search-trainees.query';
import { TraineeSearch } from './trainee-search';

@ApiTags('trainees')
@Controller('api/v1/trainees')
export class SearchTraineesController {
  constructor(
    private readonly search: TraineeSearch,
    private readonly audit: AuditTrail,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Find trainees',
    description:
      'The trainees the caller may see in full (the trainee themself; staff of an organisation that registered, enrolled, certified or employed them; platform_admin), newest registration first, optionally by name or by the last digits of the identity number. Trainees whose personal data was erased, or whose registration was voided, are not listed. Each trainee shown is audited as a read of their personal data.',
  })
  @Permission('trainees:read')
  @ApiOkResponse({ type: TraineesPage, description: '{items: [{id, name, idNumberMasked, birthDate, gender, regionCode, registeredOn}], nextCursor}' })
  @ApiBadRequestResponse({ description: 'q shorter than 2 characters, or 1 to 3 digits, or more than an identity number; limit outside 1..100; a cursor that is no nextCursor' })
  async find(@Query() query: SearchTraineesQuery, @CurrentCaller() caller: Caller): Promise<TraineesPage> {
    const page = await this.search.search(caller, query);
    // As GET /trainees/{id}: one audit line per trainee whose personal data the answer shows, committed before it leaves.
    await Promise.all(page.items.map((item) => this.audit.read(caller, 'trainees:read', traineeStreamId(item.id))));
    return page;
  }
}
