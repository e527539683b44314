// Every field the API can name in a 400 has words in both of the console's catalogues: ProblemMessage
// (services/console/src/components/problem-message.tsx) shows 撤销日期, not revokedOn. The names are read
// from the platform's OpenAPI document, built by the function tools/openapi/write-document.ts writes it with (platformOpenApiDocument)
// (Nest's preview mode: the controllers' metadata, no database), and from the fields the code refuses itself, so a
// field added to a body or query later fails here until the catalogues say it.
import 'reflect-metadata';
import { en, fieldKeyOf, zhCN } from '@skills/console';
import { platformOpenApiDocument } from '@skills/platform';
import { matched } from './service-source';

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}
interface Parameter {
  $ref?: string;
  name: string;
  in: string;
}
interface Operation {
  parameters?: Parameter[];
  responses?: Record<string, unknown>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
type Document = { paths: Record<string, Record<string, Operation> & { parameters?: Parameter[] }> } & Record<string, unknown>;

const platformDocument = async (): Promise<Document> => (await platformOpenApiDocument()) as unknown as Document;

/**
 * Every name a field error can carry, as the validation pipe names it (libs/service-runtime validation.ts):
 * each parameter (path, query, header) and each property of a request body, a nested object's as
 * `policy.windowStart`, an array's items' as `items.creditCode` (the pipe's `items.0.creditCode`, which
 * ProblemMessage reads without the index).
 */
function fieldNames(document: Document): string[] {
  const resolve = <T extends { $ref?: string }>(value: T | undefined): T | undefined =>
    value?.$ref ? resolve(value.$ref.split('/').slice(1).reduce<unknown>((inner, key) => (inner as Record<string, unknown>)[key], document) as T) : value;
  const names = new Set<string>();
  const walk = (given: Schema | undefined, prefix: string): void => {
    const schema = resolve(given);
    if (!schema) return;
    for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) walk(part, prefix);
    if (schema.items) walk(schema.items, prefix);
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const field = prefix ? `${prefix}.${name}` : name;
      names.add(field);
      walk(property, field);
    }
  };
  for (const item of Object.values(document.paths)) {
    for (const [method, entry] of Object.entries(item)) {
      if (method === 'parameters' || typeof entry !== 'object' || Array.isArray(entry)) continue;
      const operation = entry as Operation;
      for (const parameter of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) names.add(resolve(parameter)!.name);
      for (const { schema } of Object.values(operation.requestBody?.content ?? {})) walk(schema, '');
    }
  }
  return [...names];
}

/** The fields the code names itself: `{ field: 'file', rule: … }`, `new FieldRefusal('q', …)`, an import's `invalid('courseId', …)`. */
const refusedFields = () => [...matched(/\bfield: '([^']+)'/g), ...matched(/new FieldRefusal\(\s*'([^']+)'/g), ...matched(/\binvalid\(\s*'([^']+)'/g)];

const words = (key: string) => [(zhCN as Record<string, string>)[key], (en as Record<string, string>)[key]];
/** Words in both catalogues, the Chinese ones in Chinese (not the API's name copied). */
const sayable = (key: string) => {
  const [chinese, english] = words(key);
  return typeof english === 'string' && english.trim().length > 0 && typeof chinese === 'string' && /\p{Script=Han}/u.test(chinese);
};

/** Every error status an operation of the document answers (400, 409, 413, 503…). */
const errorStatuses = (document: Document) =>
  Object.values(document.paths).flatMap((item) => Object.values(item).flatMap((operation) => Object.keys((operation as Operation).responses ?? {}).filter((status) => /^[45]\d\d$/.test(status))));

/**
 * Those a gateway or a failure answers, which no operation declares: ProblemMessage heads a problem
 * without a rule of its own with its status's words (a 502 from the gateway, a 500 of a failure).
 */
const UNDECLARED_STATUSES = ['500', '502', '503'];

describe("the console's catalogues say every field the API can refuse (field.*) and every status it can answer (status.*)", () => {
  let document: Document;
  beforeAll(async () => {
    document = await platformDocument();
  });

  it('each parameter and request body property of the OpenAPI document, and each field the code refuses by name', () => {
    const documented = fieldNames(document);
    // One of each way a field is found: a walk that stops finding them fails here, not silently.
    expect(documented).toEqual(expect.arrayContaining(['revokedOn', 'file', 'policy.windowStart', 'from', 'Idempotency-Key', 'id']));
    expect(documented.length).toBeGreaterThan(60);
    const refused = refusedFields();
    expect(refused).toEqual(expect.arrayContaining(['file', 'courseId', 'q', 'certificateNumber']));
    const fields = [...new Set([...documented, ...refused])];
    expect(fields.filter((field) => !sayable(fieldKeyOf(field))).sort()).toEqual([]);
  });

  it('each error status an operation answers, and those of a gateway or a failure', () => {
    const statuses = [...new Set([...errorStatuses(document), ...UNDECLARED_STATUSES])];
    expect(statuses).toEqual(expect.arrayContaining(['400', '409', '413']));
    expect(statuses.filter((status) => !sayable(`status.${status}`)).sort()).toEqual([]);
  });
});
