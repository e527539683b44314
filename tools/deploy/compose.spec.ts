// docker-compose.yml and the service Dockerfiles, checked three ways without a Docker engine: against
// the official Compose Specification schema, against tools/deploy/topology.ts (so the manifest cannot
// drift from the deployment the code describes), and each check shown to fail on a broken manifest.
import { DEAD_LETTER_TOPIC } from '@skills/contracts';
import Ajv from 'ajv';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { compile } from './compose/compile';
import { GATEWAY, KAFKA_TOPICS, SERVICES, ServiceSpec, serviceEnvironment, serviceUrlVariable } from './topology';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

// ---------------------------------------------------------------------------------------------
// The manifest as parsed (only the parts looked at here).
// ---------------------------------------------------------------------------------------------

type Scalar = string | number | boolean | null;
interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
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
  gateway: { name: string; port: number };
  /** Every topic the topic job must create. */
  topics: string[];
}

const TOPOLOGY: Topology = { services: SERVICES, gateway: GATEWAY, topics: [...KAFKA_TOPICS, DEAD_LETTER_TOPIC] };

/** Where the services find Kafka and Postgres on the compose network. */
const WHERE = { kafkaBrokers: 'kafka:9092', postgres: 'postgres://skills:skills@postgres:5432' };
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
  const builtFrom = (name: string) => {
    const build = services[name].build;
    const dockerfile = `services/${name}/Dockerfile`;
    if (typeof build !== 'object' || build.dockerfile !== dockerfile || !['.', './'].includes(build.context ?? '')) {
      problems.push(`${name}: must build from ${dockerfile} with the repository root as context`);
    }
  };

  for (const spec of topology.services.filter((service) => services[service.name])) {
    const name = spec.name;
    builtFrom(name);
    sameEnvironment(name, serviceEnvironment(spec, WHERE), spec.secrets);
    if (!(services[name].expose ?? []).map(String).includes(String(spec.port))) problems.push(`${name}: must expose ${spec.port}`);
    checksHealth(name, '/health/ready');
    waitsFor(name, { [KAFKA]: 'service_healthy', [POSTGRES]: 'service_healthy', [TOPIC_JOB]: 'service_completed_successfully' });
  }

  if (services[topology.gateway.name]) {
    const name = topology.gateway.name;
    builtFrom(name);
    const urls = Object.fromEntries(topology.services.map((spec) => [serviceUrlVariable(spec), `http://${spec.name}:${spec.port}`]));
    sameEnvironment(name, { PORT: String(topology.gateway.port), ...urls });
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
      const secrets = Object.fromEntries(spec.secrets.map((secret) => [secret, expect.stringMatching(new RegExp(`^\\$\\{${secret}:-.+\\}$`))]));
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
  ])('reports %s as a topology mismatch', (_case, breakIt, problem) => {
    const broken = clone(compose);
    breakIt(broken);
    expect(composeProblems(broken)).toContain(problem);
  });

  it('reports a service the topology gained but the manifest lacks, and a database the init script lacks', () => {
    const grown: Topology = { ...TOPOLOGY, services: [...SERVICES, { name: 'audit-service', main: 'services/audit-service/src/main.ts', port: 3006, database: 'audit', secrets: [] }] };
    expect(composeProblems(compose, grown)).toEqual(
      expect.arrayContaining(['audit-service: missing', 'postgres: ./tools/deploy/compose/init-databases.sql must create the database audit of audit-service once', 'gateway: environment lacks AUDIT_SERVICE_URL']),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The Dockerfiles: one per service and the gateway, all alike.
// ---------------------------------------------------------------------------------------------

describe('the service Dockerfiles', () => {
  const images = [...SERVICES, GATEWAY].map(({ name, main, port }) => ({ name, main, port, file: `services/${name}/Dockerfile` }));
  const [reference] = images;

  it.each(images)('$file builds $main, exposes $port, and is the others with its own name and port', ({ name, main, port, file }) => {
    const dockerfile = read(file);
    expect(dockerfile).toContain(`ARG SERVICE=${name}\nARG PORT=${port}\n`);
    expect(main).toBe(`services/${name}/src/main.ts`); // what the compile step is given
    // Where a Dockerfile names its image: the header, the two ARG defaults.
    const generic = (content: string, image: { name: string; port: number }) =>
      content
        .replace(`# The ${image.name} image.`, '# The <service> image.')
        .replace(`-f services/${image.name}/Dockerfile -t skills-ladder/${image.name} .`, '-f services/<service>/Dockerfile -t skills-ladder/<service> .')
        .replace(`ARG SERVICE=${image.name}\nARG PORT=${image.port}\n`, 'ARG SERVICE=<service>\nARG PORT=<port>\n');
    expect(generic(dockerfile, { name, port })).toBe(generic(read(reference.file), reference));
  });

  it('builds in stages on Node 22 slim, installs only production dependencies for the run, and runs unprivileged', () => {
    const dockerfile = read(reference.file);
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.map((stage) => stage.split('\n')[0])).toEqual(['node:22-bookworm-slim AS build', 'node:22-bookworm-slim AS deps', 'node:22-bookworm-slim']);
    const [, deps, run] = stages;
    expect(deps).toMatch(/npm install --omit=dev --omit=optional/);
    expect(run).toContain('COPY --from=deps /app/node_modules node_modules');
    expect(run).not.toMatch(/^RUN npm/m); // nothing is installed into the runtime stage itself
    expect(run).toMatch(/^USER node$/m);
    expect(run).toMatch(/^EXPOSE \$\{PORT\}$/m);
    expect(run).toMatch(/^HEALTHCHECK .*\\\n\s+CMD \["node", "-e", "fetch\('http:\/\/127\.0\.0\.1:' \+ process\.env\.PORT \+ '\/health\/live'\)/m);
    expect(run).toMatch(/^CMD \["node", "--enable-source-maps", "main\.js"\]$/m);
  });

  it('sends the build context what the images copy, and nothing else', () => {
    const patterns = read('.dockerignore').split('\n').filter((line) => line && !line.startsWith('#'));
    expect(patterns[0]).toBe('*'); // an allowlist
    const reincluded = patterns.filter((line) => line.startsWith('!')).map((line) => line.slice(1).replace(/\/$/, ''));
    const copied = [...read(reference.file).matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1].split(' '));
    for (const source of copied.map((copy) => copy.replace('${SERVICE}', reference.name))) {
      expect(reincluded.filter((allowed) => source === allowed || source.startsWith(`${allowed}/`))).not.toEqual([]);
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
