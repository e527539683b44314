// docker-compose.yml and the one Dockerfile, checked without a Docker engine: the manifest against the
// official Compose Specification schema and against tools/deploy/topology.ts (so it cannot drift from the
// deployment the code describes), the Dockerfile by evaluating its ARGs for each service the manifest
// builds, and each check shown to fail on a broken manifest or Dockerfile.
import { DEAD_LETTER_TOPIC, PATH_OWNERS, RESOURCE_OWNERS, SERVICE_NAMES } from '@skills/contracts';
import Ajv from 'ajv';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { compile } from './compose/compile';
import { DOCKERFILE, GATEWAY, imageBuildArgs, KAFKA_TOPICS, pathPrefixesOf, resourcesOf, SERVICES, ServiceSpec, serviceEnvironment, serviceUrlVariable } from './topology';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

// ---------------------------------------------------------------------------------------------
// The manifest as parsed (only the parts looked at here).
// ---------------------------------------------------------------------------------------------

type Scalar = string | number | boolean | null;
interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, Scalar> | string[] };
  environment?: Record<string, Scalar> | string[];
  ports?: (string | number | { target?: number; published?: string | number })[];
  expose?: (string | number)[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  entrypoint?: string | string[];
  command?: string | string[];
  volumes?: (string | { source?: string; target?: string })[];
}
interface Compose {
  services?: Record<string, ComposeService>;
}

/** Compose allows merge keys (`<<: *service`); Docker Compose resolves them, so the parse does too. */
const parseCompose = (text: string): Compose => YAML.parse(text, { merge: true });

// ---------------------------------------------------------------------------------------------
// (b) The manifest against the topology.
// ---------------------------------------------------------------------------------------------

interface Topology {
  services: ServiceSpec[];
  gateway: { name: string; main: string; port: number };
  /** Every topic the topic job must create. */
  topics: string[];
}

const TOPOLOGY: Topology = { services: SERVICES, gateway: GATEWAY, topics: [...KAFKA_TOPICS, DEAD_LETTER_TOPIC] };

/** Where the services find Kafka, Postgres and each other on the compose network; the gateway is published on localhost:3000. */
const WHERE = {
  kafkaBrokers: 'kafka:9092',
  postgres: 'postgres://skills:skills@postgres:5432',
  publicOrigin: 'http://localhost:3000',
  urlOf: (service: ServiceSpec) => `http://${service.name}:${service.port}`,
};
const KAFKA = 'kafka';
const POSTGRES = 'postgres';
const TOPIC_JOB = 'kafka-topics';

const environmentOf = (service: ComposeService): Record<string, string> => {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, value === null ? '' : String(value)]));
};

/** Ports as "published:target" (host IP dropped). */
const portsOf = (service: ComposeService): string[] =>
  (service.ports ?? []).map((port) => {
    if (typeof port === 'object') return `${port.published ?? ''}:${port.target ?? ''}`;
    const parts = String(port).replace(/\/tcp$/, '').split(':');
    return parts.length === 1 ? `:${parts[0]}` : `${parts[parts.length - 2]}:${parts[parts.length - 1]}`;
  });

const conditionsOf = (service: ComposeService): Record<string, string | undefined> => {
  const dependsOn = service.depends_on ?? {};
  // The short (list) form waits for nothing but the container's start.
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(dependsOn).map(([name, dependency]) => [name, dependency?.condition ?? 'service_started']));
};

const text = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(' ') : (value ?? ''));

/** The build arguments a service's build passes (map or `NAME=value` list form). */
const buildArgsOf = (service: ComposeService | undefined): Record<string, string> => {
  const args = typeof service?.build === 'object' ? (service.build.args ?? {}) : {};
  if (Array.isArray(args)) return Object.fromEntries(args.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(args).map(([name, value]) => [name, value === null ? '' : String(value)]));
};
const showArgs = (args: Record<string, string>) =>
  Object.entries(args)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ') || 'none';

/** Everything in which `compose` departs from `topology`, one line each; [] when they agree. */
function composeProblems(compose: Compose, topology: Topology = TOPOLOGY, readFile: (file: string) => string = read): string[] {
  const problems: string[] = [];
  const services = compose.services ?? {};
  const expectedNames = [...topology.services.map((service) => service.name), topology.gateway.name, KAFKA, POSTGRES, TOPIC_JOB];
  for (const name of expectedNames) if (!services[name]) problems.push(`${name}: missing`);
  for (const name of Object.keys(services)) if (!expectedNames.includes(name)) problems.push(`${name}: not in the topology`);

  const sameEnvironment = (name: string, expected: Record<string, string>, secrets: string[] = []) => {
    const actual = environmentOf(services[name]);
    for (const [variable, value] of Object.entries(expected)) {
      if (!(variable in actual)) problems.push(`${name}: environment lacks ${variable}`);
      else if (actual[variable] !== value) problems.push(`${name}: ${variable} is "${actual[variable]}", the topology says "${value}"`);
    }
    // A secret comes from the deployment's environment of the same name (a development default is fine).
    for (const secret of secrets) {
      if (!(secret in actual)) problems.push(`${name}: environment lacks the secret ${secret}`);
      else if (!new RegExp(`^\\$\\{${secret}(:?[-?][^}]*)?\\}$`).test(actual[secret])) problems.push(`${name}: ${secret} must come from \${${secret}…}, not a literal`);
    }
    for (const variable of Object.keys(actual)) {
      if (!(variable in expected) && !secrets.includes(variable)) problems.push(`${name}: environment has ${variable}, which the topology does not`);
    }
  };
  const waitsFor = (name: string, wanted: Record<string, string>) => {
    const conditions = conditionsOf(services[name]);
    for (const [dependency, condition] of Object.entries(wanted)) {
      if (conditions[dependency] !== condition) problems.push(`${name}: must depend on ${dependency} with condition ${condition} (has ${conditions[dependency] ?? 'none'})`);
    }
  };
  const checksHealth = (name: string, path: string) => {
    const healthcheck = services[name].healthcheck;
    if (!healthcheck || healthcheck.disable || !text(healthcheck.test).includes(path)) problems.push(`${name}: needs a healthcheck on ${path}`);
  };
  const builtFrom = (name: string, port: number) => {
    const build = services[name].build;
    if (typeof build !== 'object' || build.dockerfile !== DOCKERFILE || !['.', './'].includes(build.context ?? '')) {
      problems.push(`${name}: must build from ${DOCKERFILE} with the repository root as context`);
    }
    // Exactly these: an argument the Dockerfile does not declare would be ignored, not used.
    const expected = imageBuildArgs({ name, port });
    const actual = buildArgsOf(services[name]);
    if (showArgs(actual) !== showArgs(expected)) problems.push(`${name}: must build with ${showArgs(expected)} (has ${showArgs(actual)})`);
  };

  for (const spec of topology.services.filter((service) => services[service.name])) {
    const name = spec.name;
    builtFrom(name, spec.port);
    sameEnvironment(name, serviceEnvironment(spec, WHERE), spec.secrets);
    if (!(services[name].expose ?? []).map(String).includes(String(spec.port))) problems.push(`${name}: must expose ${spec.port}`);
    checksHealth(name, '/health/ready');
    waitsFor(name, { [KAFKA]: 'service_healthy', [POSTGRES]: 'service_healthy', [TOPIC_JOB]: 'service_completed_successfully' });
  }

  if (services[topology.gateway.name]) {
    const name = topology.gateway.name;
    builtFrom(name, topology.gateway.port);
    const urls = Object.fromEntries(topology.services.map((spec) => [serviceUrlVariable(spec), `http://${spec.name}:${spec.port}`]));
    // The way in from the host: it believes the X-Forwarded-For of the proxies the deployment names (TRUST_PROXY), no others.
    sameEnvironment(name, { PORT: String(topology.gateway.port), ...urls, TRUST_PROXY: '${TRUST_PROXY:-loopback}' });
    checksHealth(name, '/health/ready');
    waitsFor(name, Object.fromEntries(topology.services.map((spec) => [spec.name, 'service_healthy'])));
  }

  // Only the gateway is reachable from the host.
  for (const [name, service] of Object.entries(services)) {
    const expected = name === topology.gateway.name ? [`${topology.gateway.port}:${topology.gateway.port}`] : [];
    if (JSON.stringify(portsOf(service)) !== JSON.stringify(expected)) problems.push(`${name}: publishes [${portsOf(service).join(', ')}], expected [${expected.join(', ')}]`);
  }

  if (services[KAFKA]) {
    const kafka = environmentOf(services[KAFKA]);
    if (!/^apache\/kafka:/.test(services[KAFKA].image ?? '')) problems.push(`${KAFKA}: must run the apache/kafka image`);
    if (!/broker/.test(kafka.KAFKA_PROCESS_ROLES ?? '') || !/controller/.test(kafka.KAFKA_PROCESS_ROLES ?? '')) problems.push(`${KAFKA}: must be broker and KRaft controller`);
    for (const setting of ['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR']) {
      if (kafka[setting] !== '1') problems.push(`${KAFKA}: ${setting} must be 1 on a single broker`);
    }
    if (!services[KAFKA].healthcheck?.test) problems.push(`${KAFKA}: needs a healthcheck`);
  }

  if (services[TOPIC_JOB]) {
    const job = services[TOPIC_JOB];
    const script = `${text(job.entrypoint)}\n${text(job.command)}`;
    const created = [...script.matchAll(/^\s*create\s+([\w.-]+)\s*$/gm)].map((match) => match[1]);
    for (const topic of topology.topics) if (!created.includes(topic)) problems.push(`${TOPIC_JOB}: does not create ${topic}`);
    for (const topic of created) if (!topology.topics.includes(topic)) problems.push(`${TOPIC_JOB}: creates ${topic}, which the topology does not name`);
    const partitions = Number(/--partitions\s+(\d+)/.exec(script)?.[1] ?? 0);
    if (partitions < 2) problems.push(`${TOPIC_JOB}: topics need several partitions (has ${partitions})`);
    if (!/--config\s+retention\.ms=-1\b/.test(script)) problems.push(`${TOPIC_JOB}: topics must be kept forever (retention.ms=-1)`);
    waitsFor(TOPIC_JOB, { [KAFKA]: 'service_healthy' });
  }

  if (services[POSTGRES]) {
    const postgres = environmentOf(services[POSTGRES]);
    const url = new URL(WHERE.postgres);
    if (postgres.POSTGRES_USER !== url.username || postgres.POSTGRES_PASSWORD !== url.password) problems.push(`${POSTGRES}: user and password must be those of ${WHERE.postgres}`);
    if (!services[POSTGRES].healthcheck?.test) problems.push(`${POSTGRES}: needs a healthcheck`);
    const init = (services[POSTGRES].volumes ?? [])
      .map((volume) => (typeof volume === 'string' ? { source: volume.split(':')[0], target: volume.split(':')[1] } : volume))
      .find((volume) => volume.target?.startsWith('/docker-entrypoint-initdb.d/') && volume.source?.endsWith('.sql'));
    if (!init?.source) {
      problems.push(`${POSTGRES}: no init script mounted into /docker-entrypoint-initdb.d`);
    } else {
      const created = [...readFile(init.source).matchAll(/^\s*CREATE DATABASE\s+"?(\w+)"?\s*;/gim)].map((match) => match[1]);
      for (const { name, database } of topology.services) {
        if (created.filter((candidate) => candidate === database).length !== 1) problems.push(`${POSTGRES}: ${init.source} must create the database ${database} of ${name} once`);
      }
      for (const database of created) if (!topology.services.some((spec) => spec.database === database)) problems.push(`${POSTGRES}: creates ${database}, which no service uses`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// (a) The official Compose Specification schema (vendored, see compose/README.md).
// ---------------------------------------------------------------------------------------------

function composeValidator() {
  const schema = JSON.parse(read('tools/deploy/compose/compose-spec.json'));
  // The file names the draft-07 meta-schema as https://json-schema.org/draft-07/schema; ajv 6 knows it
  // as http://json-schema.org/draft-07/schema#. Same meta-schema, so the schema is still checked against it.
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile({ ...schema, $schema: 'http://json-schema.org/draft-07/schema#' });
  return (compose: unknown) => (validate(compose) ? [] : (validate.errors ?? []).map((error) => `${error.dataPath} ${error.message}`));
}

/** The manifest as the tests below break it: environments as maps, depends_on in the long form. */
type Manifest = Compose & { services: Record<string, ComposeService> };
const clone = (compose: Manifest): Manifest => JSON.parse(JSON.stringify(compose));
const env = (compose: Manifest, name: string) => compose.services[name].environment as Record<string, Scalar>;
const dependencies = (compose: Manifest, name: string) => compose.services[name].depends_on as Record<string, { condition?: string }>;
const buildOf = (compose: Manifest, name: string) => compose.services[name].build as { context?: string; dockerfile?: string; args?: Record<string, Scalar> | string[] };

describe('tools/deploy/topology.ts', () => {
  it('runs every service the gateway routes to (SERVICE_NAMES), and no other, each on a port and database of its own', () => {
    expect(SERVICES.map((service) => service.name).sort()).toEqual([...SERVICE_NAMES].sort());
    expect(new Set([...SERVICES.map((service) => service.port), GATEWAY.port]).size).toBe(SERVICES.length + 1);
    expect(new Set(SERVICES.map((service) => service.database)).size).toBe(SERVICES.length);
  });

  it('has an owner in the topology for every /api/v1/ resource and every other path the gateway routes', () => {
    const names = SERVICES.map((service) => service.name);
    for (const owner of [...Object.values(RESOURCE_OWNERS), ...Object.values(PATH_OWNERS)]) expect(names).toContain(owner);
    expect(resourcesOf('identity-service').sort()).toEqual(['api-keys', 'audit', 'me', 'organisations', 'users']);
    expect(pathPrefixesOf('identity-service').sort()).toEqual(['/.well-known/', '/admin/identity/', '/oauth/']);
  });
});

/** Secrets compose takes from the environment with no default: `docker compose up` refuses to start without them. */
const KEYS_WITHOUT_DEFAULT = ['PERSONAL_DATA_KEY', 'IDENTITY_HASH_KEY'];

describe('docker-compose.yml', () => {
  const compose = parseCompose(read('docker-compose.yml')) as Manifest;
  const schemaErrors = composeValidator();

  it('is a valid Compose file by the Compose Specification schema', () => {
    expect(schemaErrors(compose)).toEqual([]);
  });

  it('uses the vendored schema unchanged (its checksum is the one compose/README.md records)', () => {
    const recorded = /sha256 `([0-9a-f]{64})`/.exec(read('tools/deploy/compose/README.md'))?.[1];
    expect(createHash('sha256').update(readFileSync(path.join(root, 'tools/deploy/compose/compose-spec.json'))).digest('hex')).toBe(recorded);
  });

  it.each([
    ['an unknown depends_on condition', (broken: Manifest) => (dependencies(broken, 'trainee-service').kafka.condition = 'service_happy'), ".services['trainee-service'].depends_on['kafka'].condition should be equal to one of the allowed values"],
    ['a port with an unknown key', (broken: Manifest) => (broken.services.gateway.ports = [{ target: 3000, published: 3000, colour: 'red' } as never]), ".services['gateway'].ports[0] should NOT have additional properties"],
    ['an unknown service key', (broken: Manifest) => Object.assign(broken.services.kafka, { imagee: 'apache/kafka:3.9.1' }), ".services['kafka'] should NOT have additional properties"],
  ])('fails schema validation with %s', (_case, breakIt, message) => {
    const broken = clone(compose);
    breakIt(broken);
    expect(schemaErrors(broken)).toContain(message);
  });

  it('matches tools/deploy/topology.ts', () => {
    expect(composeProblems(compose)).toEqual([]);
  });

  it('gives every service exactly the environment of the topology, plus its secrets', () => {
    // Spelled out once more, so a reader sees what composeProblems holds the manifest to.
    for (const spec of SERVICES) {
      // The keys that seal and hash personal data have no default (a published value would seal real data); the rest a development one.
      const secrets = Object.fromEntries(spec.secrets.map((secret) => [secret, expect.stringMatching(new RegExp(`^\\$\\{${secret}${KEYS_WITHOUT_DEFAULT.includes(secret) ? ':\\?' : ':-'}.+\\}$`))]));
      expect(environmentOf(compose.services[spec.name])).toEqual({ ...serviceEnvironment(spec, WHERE), ...secrets });
    }
  });

  it.each([
    ['a dropped environment variable', (broken: Manifest) => delete env(broken, 'training-service').LOG_LEVEL, 'training-service: environment lacks LOG_LEVEL'],
    ['a wrong database', (broken: Manifest) => (env(broken, 'brand-service').DATABASE_URL = 'postgres://skills:skills@postgres:5432/placement'), 'brand-service: DATABASE_URL is "postgres://skills:skills@postgres:5432/placement", the topology says "postgres://skills:skills@postgres:5432/brand"'],
    ['a literal secret', (broken: Manifest) => (env(broken, 'trainee-service').PERSONAL_DATA_KEY = 'hunter2'), 'trainee-service: PERSONAL_DATA_KEY must come from ${PERSONAL_DATA_KEY…}, not a literal'],
    ['an extra variable', (broken: Manifest) => (env(broken, 'placement-service').DEBUG = '1'), 'placement-service: environment has DEBUG, which the topology does not'],
    ['a missing service', (broken: Manifest) => delete broken.services['certification-service'], 'certification-service: missing'],
    ['a published service port', (broken: Manifest) => (broken.services['trainee-service'].ports = ['3001:3001']), 'trainee-service: publishes [3001:3001], expected []'],
    ['a service that does not wait for the topics', (broken: Manifest) => delete dependencies(broken, 'brand-service')[TOPIC_JOB], 'brand-service: must depend on kafka-topics with condition service_completed_successfully (has none)'],
    ['a gateway that does not wait for a service', (broken: Manifest) => (dependencies(broken, 'gateway')['placement-service'].condition = 'service_started'), 'gateway: must depend on placement-service with condition service_healthy (has service_started)'],
    ['a wrong service URL', (broken: Manifest) => (env(broken, 'gateway').BRAND_SERVICE_URL = 'http://brand-service:3004'), 'gateway: BRAND_SERVICE_URL is "http://brand-service:3004", the topology says "http://brand-service:3005"'],
    ['a topic the job forgets', (broken: Manifest) => (broken.services[TOPIC_JOB].command = text(broken.services[TOPIC_JOB].command).replace(/^\s*create skills\.brand\.events\.v1$/m, '')), 'kafka-topics: does not create skills.brand.events.v1'],
    ['a service built as another', (broken: Manifest) => (buildOf(broken, 'brand-service').args = { SERVICE: 'training-service', PORT: '3005' }), 'brand-service: must build with SERVICE=brand-service PORT=3005 (has SERVICE=training-service PORT=3005)'],
    ['a build without its PORT', (broken: Manifest) => (buildOf(broken, 'gateway').args = ['SERVICE=gateway']), 'gateway: must build with SERVICE=gateway PORT=3000 (has SERVICE=gateway)'],
    ['a build from a per-service Dockerfile', (broken: Manifest) => (buildOf(broken, 'placement-service').dockerfile = 'services/placement-service/Dockerfile'), 'placement-service: must build from Dockerfile with the repository root as context'],
  ])('reports %s as a topology mismatch', (_case, breakIt, problem) => {
    const broken = clone(compose);
    breakIt(broken);
    expect(composeProblems(broken)).toContain(problem);
  });

  it('reports a service the topology gained but the manifest lacks, and a database the init script lacks', () => {
    const grown: Topology = { ...TOPOLOGY, services: [...SERVICES, { name: 'audit-service', main: 'services/audit-service/src/main.ts', port: 3007, database: 'audit', secrets: [] }] };
    expect(composeProblems(compose, grown)).toEqual(
      expect.arrayContaining(['audit-service: missing', 'postgres: ./tools/deploy/compose/init-databases.sql must create the database audit of audit-service once', 'gateway: environment lacks AUDIT_SERVICE_URL']),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The Dockerfile: one for every service and the gateway, told which by build arguments. Evaluated
// here as Docker would for each build docker-compose.yml asks of it (ARG scoping and ${…} expansion,
// within what the file uses), so what each image compiles, sets, exposes and health-checks is checked.
// ---------------------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  /** As Docker runs it: ARG and ENV values expanded where Docker (or, for RUN, the shell) expands them. */
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
  /** ENV of the stage (the last stage's is the image's environment). */
  env: Record<string, string>;
}
interface EvaluatedDockerfile {
  /** ARGs declared before the first FROM, with the value they get. */
  globals: Record<string, string | undefined>;
  stages: Stage[];
  /** Build arguments given that no ARG declares (Docker ignores them, with a warning). */
  unconsumed: string[];
}

/** Continuation lines joined, comments and blank lines dropped, as Docker's parser reads the file. */
function dockerInstructions(dockerfile: string): Instruction[] {
  const result: Instruction[] = [];
  let pending = '';
  for (const line of dockerfile.split('\n')) {
    if (/^\s*#/.test(line) || !line.trim()) continue;
    const continued = /\\\s*$/.test(line);
    pending += continued ? line.replace(/\\\s*$/, '') : line;
    if (continued) continue;
    const [, keyword, args] = /^\s*(\S+)\s*([\s\S]*)$/.exec(pending) ?? [];
    result.push({ keyword: keyword.toUpperCase(), args: args.trim() });
    pending = '';
  }
  return result;
}

const expand = (value: string, variables: Record<string, string | undefined>) =>
  value.replace(/\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g, (_match, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => variables[braced ?? bare ?? ''] || (fallback ?? ''));

/** Exec-form instructions Docker leaves alone (no expansion at build time). */
const NOT_EXPANDED = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'SHELL']);

function evaluateDockerfile(dockerfile: string, buildArgs: Record<string, string>): EvaluatedDockerfile {
  const globals: Record<string, string | undefined> = {};
  const declared = new Set<string>();
  const stages: (Stage & { args: Record<string, string> })[] = [];
  for (const { keyword, args } of dockerInstructions(dockerfile)) {
    const stage = stages.at(-1);
    if (keyword === 'ARG') {
      const [, name, value] = /^(\w+)(?:=(.*))?$/.exec(args) ?? [];
      declared.add(name);
      // A build argument wins over a default; inside a stage, a bare ARG takes the global one's value.
      if (!stage) globals[name] = buildArgs[name] ?? (value === undefined ? undefined : expand(value, globals));
      else stage.args[name] = buildArgs[name] ?? (value === undefined ? globals[name] : expand(value, { ...stage.args, ...stage.env })) ?? '';
      continue;
    }
    if (keyword === 'FROM') {
      const [from, , name] = expand(args, globals).split(/\s+/);
      stages.push({ from, name, instructions: [], env: {}, args: {} });
      continue;
    }
    if (!stage) throw new Error(`${keyword} before the first FROM`);
    const expanded = NOT_EXPANDED.has(keyword) ? args : expand(args, { ...stage.args, ...stage.env });
    if (keyword === 'ENV') for (const [, name, value] of expanded.matchAll(/(\w+)=("[^"]*"|\S*)/g)) stage.env[name] = value.replace(/^"(.*)"$/, '$1');
    stage.instructions.push({ keyword, args: expanded });
  }
  return {
    globals,
    stages: stages.map(({ args: _args, ...stage }) => stage),
    unconsumed: Object.keys(buildArgs).filter((name) => !declared.has(name)),
  };
}

/** Sources of the COPY instructions that take files from the build context (not from another stage). */
const contextCopies = (image: EvaluatedDockerfile) =>
  image.stages.flatMap((stage) => stage.instructions.filter(({ keyword, args }) => keyword === 'COPY' && !args.startsWith('--from')).flatMap(({ args }) => args.split(/\s+/).slice(0, -1)));

/** What the build stage compiles (the entry point given to compile.js). */
const compiledMain = (image: EvaluatedDockerfile) =>
  image.stages.flatMap((stage) => stage.instructions).flatMap(({ keyword, args }) => (keyword === 'RUN' ? [/compile\.js\s+(\S+)/.exec(args)?.[1]] : [])).find((main) => main !== undefined);

/** The image's healthcheck asks /health/live on the port in PORT, the one the process listens on. */
const HEALTHCHECK_ON_PORT = /CMD \["node", "-e", "fetch\('http:\/\/127\.0\.0\.1:' \+ process\.env\.PORT \+ '\/health\/live'\)/;

/** Everything in which the images docker-compose.yml builds from the Dockerfile depart from the topology. */
function imageProblems(dockerfile: string, compose: Compose, topology: Topology = TOPOLOGY, exists = (file: string) => existsSync(path.join(root, file))): string[] {
  const problems: string[] = [];
  for (const workload of [...topology.services, topology.gateway]) {
    const service = compose.services?.[workload.name];
    // Not built from this Dockerfile at all: composeProblems says so.
    if (typeof service?.build !== 'object' || service.build.dockerfile !== DOCKERFILE) continue;
    const problem = (text: string) => problems.push(`${workload.name}: ${text}`);
    const buildArgs = buildArgsOf(service);
    const image = evaluateDockerfile(dockerfile, buildArgs);
    for (const name of image.unconsumed) problem(`build argument ${name} is not declared by ${DOCKERFILE}`);
    if (!exists(`services/${buildArgs.SERVICE}/project.json`)) problem(`SERVICE=${buildArgs.SERVICE ?? ''} names no project under services/`);

    const main = compiledMain(image);
    if (main !== workload.main) problem(`the image compiles ${main ?? 'nothing'}, not ${workload.main}`);
    else if (!exists(main)) problem(`the image compiles ${main}, which does not exist`);
    const project = workload.main.replace(/\/src\/main\.ts$/, '');
    if (!contextCopies(image).includes(project)) problem(`the build does not copy ${project}`);

    const run = image.stages.at(-1);
    const runs = (keyword: string) => run?.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args) ?? [];
    if (run?.env.PORT !== String(workload.port)) problem(`the image sets PORT=${run?.env.PORT ?? ''}, not ${workload.port}`);
    if (!runs('EXPOSE').some((ports) => ports.split(/\s+/).some((port) => port.replace(/\/tcp$/, '') === String(workload.port)))) problem(`the image does not expose ${workload.port}`);
    if (!runs('HEALTHCHECK').some((healthcheck) => HEALTHCHECK_ON_PORT.test(healthcheck))) problem('the image does not health-check /health/live on the port in PORT');
    if (runs('USER').at(-1) !== 'node') problem('the image does not run as the node user');
  }
  return problems;
}

describe('the Dockerfile', () => {
  const dockerfile = read(DOCKERFILE);
  const compose = parseCompose(read('docker-compose.yml')) as Manifest;
  const workloads = [...SERVICES, GATEWAY].map(({ name, main, port }) => ({ name, main, port }));
  const builtFor = (name: string) => evaluateDockerfile(dockerfile, buildArgsOf(compose.services[name]));

  it('is the only one: no project under services/ has a Dockerfile of its own', () => {
    const projects = readdirSync(path.join(root, 'services'));
    expect(projects).toEqual(expect.arrayContaining(workloads.map((workload) => workload.name)));
    expect(projects.filter((project) => existsSync(path.join(root, 'services', project, 'Dockerfile')))).toEqual([]);
  });

  it('declares ARG SERVICE and ARG PORT before its first stage, defaulting to a workload of the topology on its port', () => {
    const { globals, unconsumed } = evaluateDockerfile(dockerfile, {});
    expect(Object.keys(globals)).toEqual(['SERVICE', 'PORT']);
    expect(workloads.map(imageBuildArgs)).toContainEqual(globals);
    expect(unconsumed).toEqual([]);
    // Built with the defaults alone, it is that workload's image.
    const workload = workloads.find(({ name }) => name === globals.SERVICE);
    expect(compiledMain(evaluateDockerfile(dockerfile, {}))).toBe(workload?.main);
  });

  it.each(workloads)('builds $name as docker-compose.yml asks: compiles $main, and sets, exposes and health-checks port $port', ({ name, main, port }) => {
    const buildArgs = buildArgsOf(compose.services[name]);
    expect(buildArgs).toEqual(imageBuildArgs({ name, port }));
    expect(existsSync(path.join(root, 'services', buildArgs.SERVICE, 'project.json'))).toBe(true); // SERVICE names a project
    const image = builtFor(name);
    expect(image.unconsumed).toEqual([]);
    expect(compiledMain(image)).toBe(main);
    expect(existsSync(path.join(root, main))).toBe(true);
    expect(contextCopies(image)).toContain(`services/${name}`);
    const run = image.stages.at(-1) as Stage;
    expect(run.env).toEqual({ NODE_ENV: 'production', PORT: String(port) });
    expect(run.instructions).toContainEqual({ keyword: 'EXPOSE', args: String(port) });
    // The healthcheck reads PORT at run time: the image's, or the one compose sets, which is the same.
    expect(run.instructions.find((instruction) => instruction.keyword === 'HEALTHCHECK')?.args).toMatch(HEALTHCHECK_ON_PORT);
    expect(environmentOf(compose.services[name]).PORT).toBe(String(port));
  });

  it('matches docker-compose.yml and the topology for every image it builds', () => {
    expect(imageProblems(dockerfile, compose)).toEqual([]);
  });

  it.each([
    ['a runtime stage that forgets ARG PORT', (file: string) => file.replace('ARG PORT\nENV NODE_ENV', 'ENV NODE_ENV'), undefined, ['gateway: the image sets PORT=, not 3000', 'gateway: the image does not expose 3000']],
    ['a healthcheck on a fixed port', (file: string) => file.replace("'http://127.0.0.1:' + process.env.PORT + '/health/live'", "'http://127.0.0.1:3001/health/live'"), undefined, ['training-service: the image does not health-check /health/live on the port in PORT']],
    ['a compile step that ignores SERVICE', (file: string) => file.replace('compile.js services/${SERVICE}/src/main.ts', 'compile.js services/trainee-service/src/main.ts'), undefined, ['brand-service: the image compiles services/trainee-service/src/main.ts, not services/brand-service/src/main.ts']],
    ['a SERVICE that names no project', undefined, (broken: Manifest) => (buildOf(broken, 'brand-service').args = { SERVICE: 'brand', PORT: '3005' }), ['brand-service: SERVICE=brand names no project under services/', 'brand-service: the build does not copy services/brand-service']],
    ['a build argument the Dockerfile ignores', undefined, (broken: Manifest) => (buildOf(broken, 'gateway').args = { SERVICE: 'gateway', PORT: '3000', NODE_VERSION: '20' }), ['gateway: build argument NODE_VERSION is not declared by Dockerfile']],
  ])('reports %s', (_case, breakDockerfile, breakCompose, expected) => {
    const broken = clone(compose);
    breakCompose?.(broken);
    const brokenDockerfile = breakDockerfile ? breakDockerfile(dockerfile) : dockerfile;
    if (breakDockerfile) expect(brokenDockerfile).not.toBe(dockerfile); // the replacement found its target
    expect(imageProblems(brokenDockerfile, broken)).toEqual(expect.arrayContaining(expected));
  });

  it('builds in stages on Node 22 slim, installs only production dependencies for the run, and runs unprivileged', () => {
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.map((stage) => stage.split('\n')[0])).toEqual(['node:22-bookworm-slim AS build', 'node:22-bookworm-slim AS deps', 'node:22-bookworm-slim']);
    const [build, deps, run] = stages;
    expect(build).toMatch(/^ARG SERVICE$/m); // the global SERVICE, brought into the stage that uses it
    expect(build).toMatch(/^RUN node tools\/deploy\/compose\/compile\.js services\/\$\{SERVICE\}\/src\/main\.ts dist$/m);
    expect(deps).toMatch(/npm install --omit=dev --omit=optional/);
    expect(run).toMatch(/^ARG PORT$/m);
    expect(run).toMatch(/^ENV NODE_ENV=production PORT=\$\{PORT\}$/m);
    expect(run).toContain('COPY --from=deps /app/node_modules node_modules');
    expect(run).not.toMatch(/^RUN npm/m); // nothing is installed into the runtime stage itself
    expect(run).toMatch(/^USER node$/m);
    expect(run).toMatch(/^EXPOSE \$\{PORT\}$/m);
    expect(run).toMatch(/^HEALTHCHECK .*\\\n\s+CMD \["node", "-e", "fetch\('http:\/\/127\.0\.0\.1:' \+ process\.env\.PORT \+ '\/health\/live'\)/m);
    expect(run).toMatch(/^CMD \["node", "--enable-source-maps", "main\.js"\]$/m);
    // The console where the compiled gateway looks for it first: `console` beside its main.js (compile.js keeps the source's path under dist).
    expect(build).toContain(`--outDir /app/dist/${path.dirname(GATEWAY.main)}/console`);
  });

  it('sends the build context what the images copy, and nothing else', () => {
    const patterns = read('.dockerignore').split('\n').filter((line) => line && !line.startsWith('#'));
    expect(patterns[0]).toBe('*'); // an allowlist
    const reincluded = patterns.filter((line) => line.startsWith('!')).map((line) => line.slice(1).replace(/\/$/, ''));
    for (const { name } of workloads) {
      for (const source of contextCopies(builtFor(name))) {
        expect(reincluded.filter((allowed) => source === allowed || source.startsWith(`${allowed}/`))).not.toEqual([]);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// What the image build runs: compile each service, then check it needs production packages only.
// ---------------------------------------------------------------------------------------------

describe('compile.js (the image build step)', () => {
  const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean; optional?: boolean; devOptional?: boolean }> };
  /** What `npm install --omit=dev --omit=optional` puts in node_modules (top level). */
  const inProductionInstall = (specifier: string) => {
    const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
    const entry = lock.packages[`node_modules/${name}`];
    return Boolean(entry && !entry.dev && !entry.optional && !entry.devOptional);
  };
  let out: string;
  beforeAll(() => (out = mkdtempSync(path.join(os.tmpdir(), 'skills-compile-'))));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it.each([...SERVICES, GATEWAY].map(({ name, main }) => ({ name, main })))('compiles $name needing only production dependencies', ({ name, main }) => {
    const dist = path.join(out, name);
    const { files, requiredModules } = compile(main, dist);
    expect(files).toContain(main);
    expect(files.filter((file) => /\.(int-|e2e-)?spec\.ts$/.test(file))).toEqual([]);
    expect(existsSync(path.join(dist, main.replace(/\.ts$/, '.js')))).toBe(true);
    expect(readFileSync(path.join(dist, 'main.js'), 'utf8')).toContain(`require('./${main.replace(/\.ts$/, '.js')}')`);
    expect(requiredModules.filter((specifier) => !inProductionInstall(specifier))).toEqual([]);
  });
});
