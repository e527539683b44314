// An Idempotency-Key holds for a command however its path is spelled: a command sent to /API/v1/… twice with
// one key must not run twice. Paths match in their own case (configureHttp), so another spelling is an
// unknown path that runs nothing; the interceptor judges the route the request matched, not the spelling.
// On a real Postgres, with a small service of its own whose command inserts a row.
import { Body, Controller, Module, Post } from '@nestjs/common';
import { sqlMigration, Transactions } from '@skills/postgres';
import { http, ServiceSpec, startServiceSpec } from '@skills/testing';
import { IsString } from 'class-validator';
import { Client } from 'pg';
import { Public } from '../auth/permissions';
import { ServiceRuntimeModule } from '../service-runtime.module';

const Things = sqlMigration('KeyedThings', 1700000000300, 'CREATE TABLE things (id serial PRIMARY KEY, label text NOT NULL)');

class ThingDto {
  @IsString()
  label!: string;
}

@Controller('api/v1/things')
class ThingsController {
  constructor(private readonly transactions: Transactions) {}

  @Post()
  @Public()
  async create(@Body() body: ThingDto) {
    const { rows } = await this.transactions.run((tx) => tx.query<{ id: number }>('INSERT INTO things (label) VALUES ($1) RETURNING id', [body.label]));
    return { id: rows[0].id };
  }
}

@Module({ imports: [ServiceRuntimeModule.forService({ name: 'keyed', migrations: [Things] })], controllers: [ThingsController] })
class KeyedModule {}

describe('Idempotency-Key and the spelling of a command’s path', () => {
  let service: ServiceSpec;
  let sql: Client;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [KeyedModule], service: 'keyed' });
    sql = new Client({ connectionString: service.database.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await service?.close();
  });

  const labelled = async (label: string) => Number((await sql.query('SELECT count(*) AS n FROM keyed.things WHERE label = $1', [label])).rows[0].n);

  it('runs a command once for its key, and a differently-cased path not at all (an unknown path)', async () => {
    const send = (path: string, key: string, label: string) => http(service.host.baseUrl, 'POST', path, { label }, { 'Idempotency-Key': key });

    const first = await send('/api/v1/things', 'same-key-1', 'as spelled');
    const repeat = await send('/api/v1/things', 'same-key-1', 'as spelled');
    expect(first.status).toBe(201);
    expect(repeat).toMatchObject({ status: 201, body: first.body });
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(await labelled('as spelled')).toBe(1);

    for (const path of ['/API/v1/things', '/api/V1/things', '/api/v1/Things']) {
      const answers = [await send(path, `same-key-${path}`, path), await send(path, `same-key-${path}`, path)];
      expect(answers.map((answer) => answer.status)).toEqual([404, 404]);
      expect(await labelled(path)).toBe(0);
    }
  });
});
