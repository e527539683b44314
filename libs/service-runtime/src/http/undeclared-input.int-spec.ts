// A field sent where the route takes none is refused, never ignored (createHost, as every service and the
// platform build theirs, on one small controller; no database is touched): a query parameter of a route that
// declares no query DTO, or not among the ones it names; a body of a route that declares none. A POST that
// recorded today for a `?enrolledOn=` it never read, or a DELETE for a `{"withdrawnOn"}` body, answered as if
// it had been honoured.
import { Body, Controller, Delete, Get, HttpCode, INestApplication, Module, Post, Query } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { Public } from '../auth/permissions';
import { createHost } from '../bootstrap';
import { loadRuntimeConfig } from '../runtime-config';

class EnrolDto {
  @IsString()
  traineeId!: string;
}

class ListQuery {
  @IsOptional()
  @IsString()
  status?: string;
}

@Controller('api/v1/enrolments')
class EnrolmentsController {
  @Get()
  @Public()
  list(@Query() query: ListQuery) {
    return { items: [], status: query.status ?? null };
  }

  @Get('summary')
  @Public()
  summary() {
    return { count: 0 };
  }

  @Get('position')
  @Public()
  position(@Query('upTo') upTo: string | undefined) {
    return { upTo: upTo ?? null };
  }

  @Post()
  @Public()
  enrol(@Body() body: EnrolDto) {
    return { traineeId: body.traineeId };
  }

  @Post('recount')
  @Public()
  @HttpCode(202)
  recount() {
    return {};
  }

  @Delete(':traineeId')
  @Public()
  @HttpCode(204)
  withdraw() {
    return undefined;
  }
}

@Module({ controllers: [EnrolmentsController] })
class EnrolmentsModule {}

const BASE_ENV = { TRANSPORT: 'in-process', DATABASE_URL: 'postgres://unused@127.0.0.1:1/none', LOG_LEVEL: 'warn', PORT: '0' };

describe('fields sent where the route takes none', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    app = await createHost({ title: 'undeclared input', clientId: 'undeclared-input', config: loadRuntimeConfig(BASE_ENV), modules: [EnrolmentsModule] });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => app?.close());

  const send = async (method: string, path: string, body?: unknown) => {
    const answer = await fetch(`${baseUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await answer.text();
    return { status: answer.status, body: text ? JSON.parse(text) : undefined };
  };

  it('refuses a query parameter of a command that declares no query, naming it (unknown_field)', async () => {
    expect(await send('POST', '/api/v1/enrolments?enrolledOn=2026-12-02', { traineeId: 't1' })).toMatchObject({
      status: 400,
      body: { type: 'urn:skills:invalid-input', errors: [{ field: 'enrolledOn', rule: 'unknown_field' }] },
    });
    expect(await send('DELETE', '/api/v1/enrolments/t1?withdrawnOn=2026-12-02')).toMatchObject({ status: 400, body: { errors: [{ field: 'withdrawnOn', rule: 'unknown_field' }] } });
    expect(await send('POST', '/api/v1/enrolments/recount?a=1&b=2')).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ field: 'a', rule: 'unknown_field' }), expect.objectContaining({ field: 'b', rule: 'unknown_field' })] },
    });
  });

  it('refuses a query parameter of a read that declares none, or one it does not name', async () => {
    expect(await send('GET', '/api/v1/enrolments/summary?verbose=true')).toMatchObject({ status: 400, body: { errors: [{ field: 'verbose', rule: 'unknown_field' }] } });
    expect(await send('GET', '/api/v1/enrolments/position?upTo=5&from=1')).toMatchObject({ status: 400, body: { errors: [{ field: 'from', rule: 'unknown_field' }] } });
    // A read does not take dryRun either.
    expect(await send('GET', '/api/v1/enrolments/summary?dryRun=true')).toMatchObject({ status: 400, body: { errors: [{ field: 'dryRun', rule: 'unknown_field' }] } });
  });

  it('refuses a body of a route that declares none, naming each field', async () => {
    expect(await send('DELETE', '/api/v1/enrolments/t1', { withdrawnOn: '2026-12-02' })).toMatchObject({ status: 400, body: { errors: [{ field: 'withdrawnOn', rule: 'unknown_field' }] } });
    expect(await send('POST', '/api/v1/enrolments/recount', { since: '2026-01-01' })).toMatchObject({ status: 400, body: { errors: [{ field: 'since', rule: 'unknown_field' }] } });
    // A body that is no object is named as the body.
    for (const body of ['null', '[1]', '"x"', '0']) {
      expect(await send('DELETE', '/api/v1/enrolments/t1', body)).toMatchObject({ status: 400, body: { errors: [{ field: 'body', rule: 'unknown_field' }] } });
    }
  });

  it('still answers what the routes take: their declared query, named parameters, dryRun on a command, no body or an empty one', async () => {
    expect(await send('GET', '/api/v1/enrolments?status=open')).toMatchObject({ status: 200, body: { status: 'open' } });
    expect(await send('GET', '/api/v1/enrolments?other=1')).toMatchObject({ status: 400, body: { errors: [{ field: 'other', rule: 'unknown_field' }] } });
    expect(await send('GET', '/api/v1/enrolments/summary')).toMatchObject({ status: 200, body: { count: 0 } });
    expect(await send('GET', '/api/v1/enrolments/position?upTo=5')).toMatchObject({ status: 200, body: { upTo: '5' } });
    expect(await send('POST', '/api/v1/enrolments', { traineeId: 't1' })).toMatchObject({ status: 201, body: { traineeId: 't1' } });
    expect(await send('DELETE', '/api/v1/enrolments/t1')).toMatchObject({ status: 204 });
    expect(await send('DELETE', '/api/v1/enrolments/t1', {})).toMatchObject({ status: 204 });
    expect(await send('POST', '/api/v1/enrolments/recount')).toMatchObject({ status: 202 });
    // dryRun is judged as before on a command: false is the command itself, true of one without a dry run refused as such.
    expect(await send('POST', '/api/v1/enrolments/recount?dryRun=false')).toMatchObject({ status: 202 });
    expect(await send('DELETE', '/api/v1/enrolments/t1?dryRun=true')).toMatchObject({ status: 400, body: { errors: [{ field: 'dryRun', rule: 'dry_run_unsupported' }] } });
  });
});
