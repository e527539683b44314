// The OpenAPI document of the all-in-one host is the contract (issue 13): a generated client or a fuzzer
// uses it as it is, so it must say what every operation takes and answers. It is generated from the code
// (decorators, UuidParam, @Permission, documentContract in service-runtime); this spec keeps it true.
import SwaggerParser from '@apidevtools/swagger-parser';
import { createTestDatabase, http, startTestHost, TestDatabase, TestHost } from '@skills/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_SERVICES } from './declared-routes';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PROBLEM = { $ref: '#/components/schemas/Problem' };

interface Parameter {
  $ref?: string;
  name: string;
  in: string;
  schema?: { type?: string; format?: string; enum?: string[]; pattern?: string };
}
interface Response {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
}
interface Operation {
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: unknown;
  responses: Record<string, Response>;
  'x-permission'?: string;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

/** Path parameters that are no ids, and what their schema must hold instead of `format: uuid`. */
const OTHER_PATH_PARAMETERS: Record<string, (schema: Parameter['schema']) => boolean> = {
  tier: (schema) => JSON.stringify(schema?.enum) === JSON.stringify(['city', 'provincial', 'national']),
  kind: (schema) => JSON.stringify(schema?.enum) === JSON.stringify(['trainees', 'enrolments_and_results', 'certificates']),
  number: (schema) => schema?.pattern !== undefined && new RegExp(schema.pattern).test('S000143430200215000001'),
  // An API key's client id, and the operators' names of a service and a read model.
  clientId: (schema) => schema?.type === 'string',
  service: (schema) => schema?.type === 'string',
  projection: (schema) => schema?.type === 'string',
  // A dead letter's id is a number of its table; so is an evaluator's status list.
  letter: (schema) => schema?.pattern !== undefined && new RegExp(schema.pattern).test('42'),
  list: (schema) => schema?.pattern !== undefined && new RegExp(schema.pattern).test('0'),
  // A GB/T 2260 region code (statistics of a region).
  regionCode: (schema) => schema?.pattern !== undefined && new RegExp(schema.pattern).test('430200') && !new RegExp(schema.pattern).test('4302'),
};

describe('the OpenAPI document describes every operation', () => {
  let database: TestDatabase;
  let host: TestHost;
  let document: Document;
  let operations: Array<[string, Operation]>;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: ALL_SERVICES, transport: 'in-process', databaseUrl: database.url });
    document = (await http(host.baseUrl, 'GET', '/api/docs-json')).body as Document;
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as [string, Operation]),
    );
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  const failing = (check: (operation: Operation) => boolean) => operations.filter(([, operation]) => !check(operation)).map(([route]) => route);
  const pathParameters = (operation: Operation) => (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
  const takesInput = (operation: Operation) => operation.requestBody !== undefined || (operation.parameters ?? []).some((parameter) => parameter.in === 'path' || parameter.in === 'query');
  const answersProblem = (operation: Operation, status: string) => JSON.stringify(operation.responses[status]?.content?.['application/problem+json']?.schema) === JSON.stringify(PROBLEM);

  it('is a valid OpenAPI document, every $ref resolved', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('is the document the console’s typed client is generated from (tools/openapi/write-document.ts, without a database)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    execFileSync(process.execPath, ['-r', './tools/register.js', 'tools/openapi/write-document.ts', file], { stdio: 'inherit' });
    // The same operations and schemas; only the title differs (the test host's).
    const generated = JSON.parse(readFileSync(file, 'utf8')) as Document & { info: unknown };
    expect({ paths: generated.paths, components: generated.components }).toEqual({ paths: document.paths, components: document.components });
  }, 60_000);

  it('has every operation of the six services and the runtime', () => {
    expect(operations.length).toBeGreaterThanOrEqual(50);
  });

  it('gives every operation a summary and a description naming who may call it', () => {
    expect(failing((operation) => Boolean(operation.summary?.trim()) && Boolean(operation.description?.trim()))).toEqual([]);
    expect(failing((operation) => /Needs permission [a-z-]+:[a-z-]+ \(roles [a-z_, ]+\)\.|Public: no access token needed\./.test(operation.description ?? ''))).toEqual([]);
  });

  it('declares every path parameter of the path, ids with format uuid, the others with their enum or pattern', () => {
    expect(
      operations.filter(([route, operation]) => {
        const inPath = [...route.matchAll(/\{([A-Za-z]+)\}/g)].map((match) => match[1]).sort();
        return JSON.stringify(inPath) !== JSON.stringify(pathParameters(operation).map((parameter) => parameter.name).sort());
      }).map(([route]) => route),
    ).toEqual([]);
    const wrong = operations.flatMap(([route, operation]) =>
      pathParameters(operation)
        .filter((parameter) => {
          const other = OTHER_PATH_PARAMETERS[parameter.name];
          return other ? !other(parameter.schema) : parameter.schema?.format !== 'uuid';
        })
        .map((parameter) => `${route} ${parameter.name}`),
    );
    expect(wrong).toEqual([]);
  });

  it('describes the body of every success but 204 with a schema', () => {
    expect(
      failing((operation) => {
        const successes = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
        return successes.length > 0 && successes.every(([status, response]) => (status === '204' ? !response.content : Boolean((response.content?.['application/json'] ?? response.content?.['application/pdf'] ?? response.content?.['text/csv'] ?? response.content?.['image/png'])?.schema)));
      }),
    ).toEqual([]);
  });

  it('documents the 400 of every operation that takes input, 413 and 415 of every one with a body, and 401 and 403 of every one that is not public, as problem details', () => {
    expect(failing((operation) => !takesInput(operation) || answersProblem(operation, '400'))).toEqual([]);
    expect(failing((operation) => operation['x-permission'] === 'public' || (answersProblem(operation, '401') && answersProblem(operation, '403')))).toEqual([]);
    expect(failing((operation) => pathParameters(operation).length === 0 || answersProblem(operation, '404'))).toEqual([]);
    expect(failing((operation) => operation.requestBody === undefined || (answersProblem(operation, '413') && answersProblem(operation, '415')))).toEqual([]);
  });

  it('answers every error as problem details', () => {
    const plain = operations.flatMap(([route, operation]) =>
      Object.entries(operation.responses)
        .filter(([status, response]) => Number(status) >= 400 && !response.$ref && !response.content?.['application/problem+json'])
        .map(([status]) => `${route} ${status}`),
    );
    expect(plain).toEqual([]);
    expect(document.components.schemas.Problem).toMatchObject({ required: ['type', 'title', 'status', 'detail'] });
  });

  it('documents the dry run (?dryRun=true, 200 with dryRun: true) of the commands that have one', () => {
    const dryRunnable = operations.flatMap(([route, operation]) => {
      const parameter = (operation.parameters ?? []).find((candidate) => candidate.name === 'dryRun');
      return parameter ? [{ route, parameter, answer: JSON.stringify(operation.responses['200']?.content?.['application/json']?.schema) }] : [];
    });
    expect(dryRunnable.map(({ route }) => route)).toEqual(expect.arrayContaining(['POST /api/v1/certifications', 'POST /api/v1/placements/{id}/hires']));
    for (const { route, parameter, answer } of dryRunnable) {
      expect({ route, in: parameter.in, enum: parameter.schema?.enum, answer }).toEqual({ route, in: 'query', enum: ['true', 'false'], answer: expect.stringContaining('"dryRun"') });
    }
  });

  it('documents 422 only where it is answered: a command reusing an Idempotency-Key', () => {
    const takesKey = (operation: Operation) => (operation.parameters ?? []).some((parameter) => parameter.$ref === '#/components/parameters/IdempotencyKey');
    expect(failing((operation) => (operation.responses['422'] !== undefined) === takesKey(operation))).toEqual([]);
    expect(failing((operation) => !takesKey(operation) || answersProblem(operation, '409'))).toEqual([]);
  });
});
