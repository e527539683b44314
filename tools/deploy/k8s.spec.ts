// k8s/ checked without a cluster or a kustomize binary: rendered by a small loader (the few kustomize
// features k8s/kustomization.yaml uses), each resource validated against the Kubernetes schemas
// (kubernetes-models) and the KafkaTopics against Strimzi's CRD schema, the whole checked against
// tools/deploy/topology.ts, and each check shown to fail on a broken manifest.
import { DEAD_LETTER_TOPIC } from '@skills/contracts';
import { MAX_FILE_BYTES } from '../../services/trainee-service/src/imports/http/create-import';
import { PROXY_TIMEOUT_MS } from '@skills/gateway';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigMap, IConfigMap, IContainer, IProbe, IService, Namespace, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { Deployment, IDeployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler, IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { IPodDisruptionBudget, PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { IIngress, Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { CronJob, ICronJob } from 'kubernetes-models/batch/v1';
import YAML from 'yaml';
import { fileHeader, k8sFiles } from './k8s-manifests';
import { DOCKERFILE, GATEWAY, KAFKA_TOPICS, SERVICES, serviceEnvironment, ServiceSpec, serviceUrlVariable } from './topology';

const root = path.join(__dirname, '..', '..');
const K8S = path.join(root, 'k8s');

/** What the deployment promises operators (README): where it runs and which Kafka cluster it expects. */
const NAMESPACE = 'skills-ladder';
const KAFKA_CLUSTER = 'skills-kafka';
const KAFKA_BOOTSTRAP = `${KAFKA_CLUSTER}-kafka-bootstrap:9092`;
const RUN_AS_USER = 1000; // the image's `node` user
/** How long a workload may take to start (its startup probe's failures × period) before it is restarted. */
const STARTUP_SECONDS = 300;
/** The origin of the Ingress host: every service names it as the token issuer. */
const PUBLIC_ORIGIN = 'http://skills-ladder.example.org';

type Resource = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [field: string]: unknown };

// ---------------------------------------------------------------------------------------------
// kustomize, offline: `resources` (plain YAML files), `namespace`, `images`. Anything else in the
// kustomization is refused, so a new feature cannot be silently skipped by this render.
// ---------------------------------------------------------------------------------------------

interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}
interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  images?: ImageOverride[];
}

const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images']);
/** Kinds used here that kustomize leaves without a namespace. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass', 'PriorityClass', 'IngressClass']);

export const loadKustomization = (directory: string): Kustomization => YAML.parse(readFileSync(path.join(directory, 'kustomization.yaml'), 'utf8'));

/** `registry:5000/name:tag@sha256:…` → its parts (a colon before the last slash is a registry port). */
function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withTag, digest] = image.split('@');
  const colon = withTag.lastIndexOf(':');
  if (colon > withTag.lastIndexOf('/')) return { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest };
  return { name: withTag, digest };
}

function retag(image: string, overrides: ImageOverride[]): string {
  const { name, tag, digest } = splitImage(image);
  const override = overrides.find((candidate) => candidate.name === name);
  if (!override) return image;
  const newName = override.newName ?? name;
  if (override.digest) return `${newName}@${override.digest}`;
  const newTag = override.newTag ?? tag;
  return `${newName}${newTag ? `:${newTag}` : ''}${!override.newTag && digest ? `@${digest}` : ''}`;
}

/** The resources `kubectl apply -k <directory>` would send, for the features listed above. */
export function renderKustomization(directory: string, kustomization: Kustomization = loadKustomization(directory)): Resource[] {
  const unsupported = Object.keys(kustomization).filter((field) => !SUPPORTED_FIELDS.has(field));
  if (unsupported.length > 0) throw new Error(`kustomization uses ${unsupported.join(', ')}: not implemented by this offline render`);
  const resources = (kustomization.resources ?? []).flatMap((entry) => {
    const file = path.join(directory, entry);
    if (/^[a-z]+:\/\//.test(entry) || !statSync(file).isFile()) throw new Error(`resource ${entry}: only files are supported, not directories or URLs`);
    return YAML.parseAllDocuments(readFileSync(file, 'utf8')).flatMap((document) => {
      if (document.errors.length > 0) throw new Error(`${entry}: ${document.errors[0].message}`);
      const resource = document.toJSON() as Resource | null;
      return resource ? [resource] : []; // an empty document (a trailing `---`) is no resource
    });
  });
  const seen = new Set<string>();
  for (const resource of resources) {
    if (kustomization.namespace && !CLUSTER_SCOPED.has(resource.kind)) resource.metadata.namespace = kustomization.namespace;
    for (const container of podContainers(resource)) if (container.image) container.image = retag(container.image, kustomization.images ?? []);
    // kustomize refuses two resources with the same id, and so does this render.
    const id = `${resource.apiVersion}/${resource.kind}/${resource.metadata.namespace ?? ''}/${resource.metadata.name}`;
    if (seen.has(id)) throw new Error(`${id} is declared twice`);
    seen.add(id);
  }
  return resources;
}

/** The containers of a workload's pod template (Deployment, StatefulSet, DaemonSet, Job). */
function podContainers(resource: Resource): IContainer[] {
  const pod = (resource as { spec?: { template?: { spec?: { containers?: IContainer[]; initContainers?: IContainer[] } } } }).spec?.template?.spec;
  return [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])];
}

// ---------------------------------------------------------------------------------------------
// Schemas.
// ---------------------------------------------------------------------------------------------

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
  'batch/v1/CronJob': CronJob,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
};

/** Strimzi's models, generated from its CRDs (the same schemas the API server applies to them). */
const CRD_MODELS: Record<string, string> = {
  'kafka.strimzi.io/v1beta2/KafkaTopic': '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaTopic',
};

// @kubernetes-models/strimzi-kafka-operator is ESM-only (its exports have no `require`), which this
// CommonJS Jest setup cannot load: a child Node process imports it and validates them all at once.
const CRD_VALIDATOR = `
import { readFileSync } from 'node:fs';
const resources = JSON.parse(readFileSync(0, 'utf8'));
const errors = [];
for (const { specifier, resource } of resources) {
  const module = await import(specifier);
  try { new module[resource.kind](resource).validate(); errors.push(null); } catch (error) { errors.push(String(error.message)); }
}
process.stdout.write(JSON.stringify(errors));
`;

/** One entry per resource: null when the schemas accept it, otherwise why not. */
export function schemaErrors(resources: Resource[]): (string | null)[] {
  const errors: (string | null)[] = resources.map(() => null);
  const custom: { index: number; specifier: string; resource: Resource }[] = [];
  resources.forEach((resource, index) => {
    const key = `${resource.apiVersion}/${resource.kind}`;
    if (CRD_MODELS[key]) return void custom.push({ index, specifier: CRD_MODELS[key], resource });
    const Model = MODELS[key];
    if (!Model) return void (errors[index] = `no schema for ${key}`);
    try {
      new Model(JSON.parse(JSON.stringify(resource)) as never).validate();
    } catch (error) {
      errors[index] = `${resource.kind} ${resource.metadata.name}: ${(error as Error).message}`;
    }
  });
  if (custom.length > 0) {
    const input = JSON.stringify(custom.map(({ specifier, resource }) => ({ specifier, resource })));
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', CRD_VALIDATOR], { cwd: root, input, encoding: 'utf8' });
    (JSON.parse(output) as (string | null)[]).forEach((error, at) => {
      const { index, resource } = custom[at];
      if (error) errors[index] = `${resource.kind} ${resource.metadata.name}: ${error}`;
    });
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// The rendered resources against the topology.
// ---------------------------------------------------------------------------------------------

interface Workload {
  name: string;
  port: number;
  /** Non-secret environment with the value it must have. */
  config: Record<string, string>;
  /** Environment that must come from the workload's Secret. */
  secrets: string[];
}

const WORKLOADS: Workload[] = [
  ...SERVICES.map((service) => {
    // The postgres part is a Secret (DATABASE_URL carries the password), so its value is not compared.
    const { DATABASE_URL: _secret, ...config } = serviceEnvironment(service, {
      kafkaBrokers: KAFKA_BOOTSTRAP,
      postgres: 'postgres://in-the-secret',
      publicOrigin: PUBLIC_ORIGIN,
      urlOf: (each: ServiceSpec) => `http://${each.name}:${each.port}`,
    });
    return { name: service.name, port: service.port, config, secrets: ['DATABASE_URL', ...service.secrets] };
  }),
  {
    name: GATEWAY.name,
    port: GATEWAY.port,
    config: { PORT: String(GATEWAY.port), ...Object.fromEntries(SERVICES.map((service) => [serviceUrlVariable(service), `http://${service.name}:${service.port}`])) },
    secrets: [],
  },
];

const TOPICS = [...KAFKA_TOPICS, DEAD_LETTER_TOPIC];

type Source = { from: 'config' | 'literal'; value: string } | { from: 'secret'; secret: string };

/** Where each environment variable of a container comes from; `secretRefs` are whole Secrets (envFrom). */
function environmentOf(container: IContainer, configMaps: (name: string) => IConfigMap | undefined) {
  const sources = new Map<string, Source>();
  const secretRefs: string[] = [];
  const configRefs: string[] = [];
  for (const entry of container.envFrom ?? []) {
    if (entry.configMapRef?.name) {
      configRefs.push(entry.configMapRef.name);
      for (const [name, value] of Object.entries(configMaps(entry.configMapRef.name)?.data ?? {})) sources.set(`${entry.prefix ?? ''}${name}`, { from: 'config', value });
    }
    if (entry.secretRef?.name) secretRefs.push(entry.secretRef.name);
  }
  // `env` wins over `envFrom`, as in Kubernetes.
  for (const entry of container.env ?? []) {
    if (entry.valueFrom?.secretKeyRef) sources.set(entry.name, { from: 'secret', secret: entry.valueFrom.secretKeyRef.name ?? '' });
    else if (entry.valueFrom?.configMapKeyRef) {
      const { name, key } = entry.valueFrom.configMapKeyRef;
      sources.set(entry.name, { from: 'config', value: configMaps(name ?? '')?.data?.[key] ?? '' });
    } else sources.set(entry.name, { from: 'literal', value: entry.value ?? '' });
  }
  return { sources, secretRefs, configRefs };
}

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels?.[key] === value);

/** What the topology and the deployment rules ask of the rendered resources; empty when all is well. */
export function k8sProblems(resources: Resource[]): string[] {
  const problems: string[] = [];
  const find = <T>(kind: string, name: string) => resources.find((resource) => resource.kind === kind && resource.metadata.name === name) as T | undefined;
  const configMaps = (name: string) => find<IConfigMap>('ConfigMap', name);

  for (const workload of WORKLOADS) {
    const problem = (text: string) => problems.push(`${workload.name}: ${text}`);
    const deployment = find<IDeployment>('Deployment', workload.name);
    if (!deployment) {
      problem('no Deployment');
      continue;
    }
    const pod = deployment.spec?.template.spec;
    const podLabels = deployment.spec?.template.metadata?.labels;
    if (deployment.spec?.replicas !== undefined) problem("sets replicas, to which every apply would reset the autoscaler's count");
    if (!matches(deployment.spec?.selector.matchLabels, podLabels)) problem('the Deployment selector does not match its pod labels');
    const container = pod?.containers.find((candidate) => candidate.name === workload.name) ?? pod?.containers[0];
    if (!pod || !container) {
      problem('no container');
      continue;
    }

    // Ports and probes: the service listens on the topology's port and answers its health endpoints there.
    const portNamed = (port: string | number | undefined) => (typeof port === 'string' ? container.ports?.find((candidate) => candidate.name === port)?.containerPort : port);
    if (!container.ports?.some((port) => port.containerPort === workload.port)) problem(`no container port ${workload.port}`);
    const probes: [string, IProbe | undefined, string][] = [
      ['startup', container.startupProbe, '/health/live'],
      ['liveness', container.livenessProbe, '/health/live'],
      ['readiness', container.readinessProbe, '/health/ready'],
    ];
    for (const [kind, probe, endpoint] of probes) {
      if (probe?.httpGet?.path !== endpoint || portNamed(probe.httpGet.port) !== workload.port) problem(`${kind} probe does not ask ${endpoint} on port ${workload.port}`);
    }
    // The port opens after migrations, topics and the consumer group's join: minutes on a loaded cluster,
    // which the liveness probe alone (a restart ~50 s after the start) would not give.
    const startup = container.startupProbe;
    if ((startup?.failureThreshold ?? 3) * (startup?.periodSeconds ?? 10) < STARTUP_SECONDS) problem(`the startup probe gives less than ${STARTUP_SECONDS} s to start`);
    const { requests, limits } = container.resources ?? {};
    if (!requests?.cpu || !requests?.memory || !limits?.cpu || !limits?.memory) problem('no cpu and memory requests and limits');

    // Hardening: the container's securityContext overrides the pod's where both can say it.
    const effective = <K extends 'runAsNonRoot' | 'runAsUser' | 'seccompProfile'>(field: K) => container.securityContext?.[field] ?? pod.securityContext?.[field];
    const security = container.securityContext;
    if (effective('runAsNonRoot') !== true || effective('runAsUser') !== RUN_AS_USER) problem(`does not run as non-root user ${RUN_AS_USER}`);
    if (effective('seccompProfile')?.type !== 'RuntimeDefault') problem('seccomp profile is not RuntimeDefault');
    if (security?.allowPrivilegeEscalation !== false) problem('privilege escalation allowed');
    if (!security?.capabilities?.drop?.includes('ALL')) problem('capabilities not dropped');
    if (security?.readOnlyRootFilesystem !== true) problem('root filesystem is writable');
    const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
    if (!tmp || !pod.volumes?.find((volume) => volume.name === tmp.name)?.emptyDir) problem('no emptyDir at /tmp');

    // Environment: plain values from a ConfigMap as the topology gives them, secrets only from the Secret.
    const { sources, secretRefs, configRefs } = environmentOf(container, configMaps);
    if (!configRefs.some((name) => configMaps(name))) problem('no ConfigMap in envFrom');
    for (const [name, value] of Object.entries(workload.config)) {
      const source = sources.get(name);
      if (source?.from !== 'config') problem(`${name} does not come from a ConfigMap`);
      else if (source.value !== value) problem(`${name} is ${JSON.stringify(source.value)}, not ${JSON.stringify(value)}`);
    }
    const secretName = `${workload.name}-secrets`;
    for (const name of workload.secrets) {
      const source = sources.get(name);
      const fromSecret = source ? source.from === 'secret' && source.secret === secretName : secretRefs.includes(secretName);
      if (!fromSecret) problem(`${name} does not come from the Secret ${secretName}`);
    }

    const service = find<IService>('Service', workload.name);
    if (!service) problem('no Service');
    else {
      const port = service.spec?.ports?.find((candidate) => candidate.port === workload.port);
      if (!port || portNamed(port.targetPort ?? port.port) !== workload.port) problem(`the Service does not forward port ${workload.port} to the container`);
      if (!matches(service.spec?.selector, podLabels)) problem('the Service selector does not match the pods');
    }

    const autoscaler = find<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler', workload.name);
    if (!autoscaler) problem('no HorizontalPodAutoscaler');
    else {
      const target = autoscaler.spec?.scaleTargetRef;
      if (target?.kind !== 'Deployment' || target.name !== workload.name) problem('the HorizontalPodAutoscaler does not scale its Deployment');
      if (!autoscaler.spec?.metrics?.some((metric) => metric.resource?.name === 'cpu' && metric.resource.target.type === 'Utilization')) problem('the HorizontalPodAutoscaler does not follow CPU utilisation');
      if ((autoscaler.spec?.minReplicas ?? 1) < 2) problem('the HorizontalPodAutoscaler may scale below 2 replicas');
    }

    const budget = find<IPodDisruptionBudget>('PodDisruptionBudget', workload.name);
    if (!budget) problem('no PodDisruptionBudget');
    else if (budget.spec?.minAvailable !== 1 || !matches(budget.spec.selector?.matchLabels, podLabels)) problem('the PodDisruptionBudget does not keep 1 of its pods');
  }

  // Topics: every topic the code uses, on the cluster KAFKA_BROKERS points at, kept forever.
  const kafkaTopics = resources.filter((resource) => resource.kind === 'KafkaTopic') as (Resource & { spec?: { topicName?: string; partitions?: number; replicas?: number; config?: Record<string, unknown> } })[];
  for (const topic of TOPICS) {
    const resource = kafkaTopics.find((candidate) => (candidate.spec?.topicName ?? candidate.metadata.name) === topic);
    if (!resource) problems.push(`topic ${topic}: no KafkaTopic`);
    else if (
      resource.metadata.labels?.['strimzi.io/cluster'] !== KAFKA_CLUSTER ||
      resource.spec?.partitions !== 6 ||
      resource.spec.replicas !== 3 ||
      String(resource.spec.config?.['retention.ms']) !== '-1'
    )
      problems.push(`topic ${topic}: not 6 partitions × 3 replicas, kept forever, on ${KAFKA_CLUSTER}`);
  }

  // The only way in from outside is the gateway.
  const ingresses = resources.filter((resource) => resource.kind === 'Ingress') as IIngress[];
  const backends = ingresses.flatMap((ingress) => [ingress.spec?.defaultBackend, ...(ingress.spec?.rules ?? []).flatMap((rule) => rule.http?.paths.map((route) => route.backend) ?? [])]).filter((backend) => !!backend);
  const gatewayPorts = find<IService>('Service', GATEWAY.name)?.spec?.ports ?? [];
  const toGateway = (backend: (typeof backends)[number]) =>
    backend.service?.name === GATEWAY.name && gatewayPorts.some((port) => port.port === backend.service?.port?.number || (!!port.name && port.name === backend.service?.port?.name));
  if (backends.length === 0) problems.push('no Ingress routes to the gateway');
  else if (!backends.every(toGateway)) problems.push('an Ingress routes somewhere other than the gateway Service');
  // Tokens name the public origin as their issuer: the host clients reach must be that origin's.
  const hosts = ingresses.flatMap((ingress) => (ingress.spec?.rules ?? []).map((rule) => rule.host).filter((host) => host !== undefined));
  if (hosts.some((host) => host !== new URL(PUBLIC_ORIGIN).host)) problems.push(`an Ingress serves a host other than that of PUBLIC_ORIGIN ${PUBLIC_ORIGIN}`);
  // An import's file goes through it: ingress-nginx's default (1 MiB) would answer 413 long before the service's limit.
  const bodyLimit = (ingress: IIngress) => /^(\d+)m$/.exec(ingress.metadata?.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size'] ?? '')?.[1];
  if (ingresses.some((ingress) => Number(bodyLimit(ingress) ?? 0) * 1024 * 1024 <= MAX_FILE_BYTES))
    problems.push(`an Ingress passes no import file of up to ${MAX_FILE_BYTES / 1024 / 1024} MiB (nginx.ingress.kubernetes.io/proxy-body-size)`);
  // A service may rightly take minutes (the gateway waits PROXY_TIMEOUT_MS for it): ingress-nginx's default 60 s would answer 504 first.
  const seconds = (ingress: IIngress, annotation: string) => Number(ingress.metadata?.annotations?.[`nginx.ingress.kubernetes.io/${annotation}`] ?? 60);
  if (ingresses.some((ingress) => Math.min(seconds(ingress, 'proxy-read-timeout'), seconds(ingress, 'proxy-send-timeout')) * 1000 <= PROXY_TIMEOUT_MS))
    problems.push(`an Ingress gives up on the gateway before the gateway gives up on a service (${PROXY_TIMEOUT_MS / 1000} s; nginx.ingress.kubernetes.io/proxy-read-timeout, proxy-send-timeout)`);
  return problems;
}

// ---------------------------------------------------------------------------------------------

/** A deep copy to break on purpose, and a way to find one resource in it. */
const copy = (resources: Resource[]) => JSON.parse(JSON.stringify(resources)) as Resource[];
const pick = <T>(resources: Resource[], kind: string, name?: string) => resources.find((resource) => resource.kind === kind && (!name || resource.metadata.name === name)) as unknown as T;
const containerOf = (resources: Resource[], name: string) => pick<IDeployment>(resources, 'Deployment', name).spec?.template.spec?.containers[0] as IContainer;
const dataOf = (resources: Resource[], name: string) => (pick<IConfigMap>(resources, 'ConfigMap', name).data ??= {});

describe('k8s/ (kustomize)', () => {
  const kustomization = loadKustomization(K8S);
  const resources = renderKustomization(K8S, kustomization);

  it('is what tools/deploy/k8s-manifests.ts makes from the topology (run npm run k8s:generate after changing it)', () => {
    for (const [file, manifests] of Object.entries(k8sFiles())) {
      const onDisk = YAML.parseAllDocuments(readFileSync(path.join(K8S, file), 'utf8')).map((document) => document.toJSON());
      expect(onDisk).toEqual(JSON.parse(JSON.stringify(manifests)));
    }
  });

  it('says atop each workload file how its image is built: the one Dockerfile, with that workload as SERVICE and its container port as PORT', () => {
    for (const workload of WORKLOADS) {
      const file = `${workload.name}.yaml`;
      const text = readFileSync(path.join(K8S, file), 'utf8');
      expect(text.startsWith(fileHeader(file))).toBe(true);
      // Read back from the file, not from the generator: what an operator would run.
      const command = /^#\s+(docker build .*)$/m.exec(text)?.[1] ?? '';
      const dockerfile = /(?:^|\s)-f (\S+)/.exec(command)?.[1] ?? '';
      const buildArgs = Object.fromEntries([...command.matchAll(/--build-arg (\w+)=(\S+)/g)].map((match) => [match[1], match[2]]));
      expect(dockerfile).toBe(DOCKERFILE);
      expect(readFileSync(path.join(root, dockerfile), 'utf8')).toMatch(/^ARG SERVICE=\S+\nARG PORT=\d+$/m);
      expect(command).toMatch(/ \.$/); // the repository root is the build context
      expect(Object.keys(buildArgs).sort()).toEqual(['PORT', 'SERVICE']);
      expect(buildArgs.SERVICE).toBe(workload.name);
      expect(existsSync(path.join(root, 'services', buildArgs.SERVICE, 'src', 'main.ts'))).toBe(true);
      expect(containerOf(resources, workload.name).ports?.map((port) => String(port.containerPort))).toEqual([buildArgs.PORT]);
      expect(buildArgs.PORT).toBe(String(workload.port));
      const tag = /(?:^|\s)-t (\S+)/.exec(command)?.[1];
      expect(containerOf(resources, workload.name).image).toBe(`${tag}:latest`);
    }
  });

  it('renders into the skills-ladder namespace, with every workload image named by the kustomization', () => {
    expect(kustomization.namespace).toBe(NAMESPACE);
    expect(resources.find((resource) => resource.kind === 'Namespace')?.metadata.name).toBe(NAMESPACE);
    for (const resource of resources) if (resource.kind !== 'Namespace') expect(`${resource.kind} ${resource.metadata.name} in ${resource.metadata.namespace}`).toBe(`${resource.kind} ${resource.metadata.name} in ${NAMESPACE}`);
    for (const workload of WORKLOADS) {
      const image = `skills-ladder/${workload.name}`;
      expect(kustomization.images?.map((override) => override.name)).toContain(image);
      expect(containerOf(resources, workload.name).image).toMatch(new RegExp(`^${image}[:@]`));
    }
  });

  it('starts an image built on the node (not pulled whenever it is tagged latest), and reaches the gateway through ingress-nginx, whose annotations it sets', () => {
    for (const workload of WORKLOADS) expect(containerOf(resources, workload.name).imagePullPolicy).toBe('IfNotPresent');
    const ingress = pick<IIngress>(resources, 'Ingress');
    expect(ingress.spec?.ingressClassName).toBe('nginx');
    expect(Object.keys(ingress.metadata?.annotations ?? {}).every((annotation) => annotation.startsWith('nginx.ingress.kubernetes.io/'))).toBe(true);
  });

  it('validates every resource against the Kubernetes schemas, and the KafkaTopics against Strimzi’s CRD', () => {
    expect(resources.filter((resource) => resource.kind === 'KafkaTopic')).toHaveLength(TOPICS.length);
    expect(schemaErrors(resources).filter((error) => error !== null)).toEqual([]);
  });

  it('gives every service and the gateway what the topology asks, and every topic a KafkaTopic', () => {
    expect(k8sProblems(resources)).toEqual([]);
  });

  it('backs up every service’s database from its Secret onto a volume, one job at a time (README, "Operations")', () => {
    const job = pick<ICronJob>(resources, 'CronJob', 'database-backup');
    const pod = job.spec?.jobTemplate.spec?.template.spec;
    const container = pod?.containers[0] as IContainer;
    expect(job.spec?.concurrencyPolicy).toBe('Forbid');
    const { sources } = environmentOf(container, () => undefined);
    for (const service of SERVICES) {
      const variable = `${service.database.toUpperCase()}_DATABASE_URL`;
      expect(sources.get(variable)).toEqual({ from: 'secret', secret: `${service.name}-secrets` });
      expect(container.command?.join(' ')).toContain(`pg_dump --format=custom --dbname="$${variable}"`);
    }
    const claim = pod?.volumes?.find((volume) => volume.name === container.volumeMounts?.[0].name)?.persistentVolumeClaim?.claimName;
    expect(resources.some((resource) => resource.kind === 'PersistentVolumeClaim' && resource.metadata.name === claim)).toBe(true);
    expect(pod?.securityContext?.runAsNonRoot).toBe(true);
    expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
  });

  it('leaves no half copy when a dump fails, removes one a killed run left, and writes files its user alone reads, on the disk before they are named whole', () => {
    const job = pick<ICronJob>(resources, 'CronJob', 'database-backup');
    const container = job.spec?.jobTemplate.spec?.template.spec?.containers[0] as IContainer;
    const [shell, flag, script] = container.command ?? [];
    expect([shell, flag]).toEqual(['sh', '-c']);
    // The job's script as the pod runs it, on a scratch directory for the volume and a pg_dump that fails for a database named "fail".
    const scratch = mkdtempSync(path.join(tmpdir(), 'k8s-backup-'));
    try {
      const backups = path.join(scratch, 'backups');
      const bin = path.join(scratch, 'bin');
      mkdirSync(backups);
      mkdirSync(bin);
      writeFileSync(
        path.join(bin, 'pg_dump'),
        '#!/bin/sh\nfor arg; do case "$arg" in --dbname=*) db=${arg#--dbname=};; --file=*) file=${arg#--file=};; esac; done\n[ "$db" != fail ] || exit 1\necho "dump of $db" > "$file"\n',
        { mode: 0o755 },
      );
      const urls = Object.fromEntries(SERVICES.map((service) => [`${service.database.toUpperCase()}_DATABASE_URL`, `postgres://db/${service.database}`]));
      const run = (env: Record<string, string>) =>
        spawnSync('sh', ['-c', script.replaceAll('/backups', backups)], { env: { PATH: `${bin}:${process.env.PATH}`, ...urls, ...env }, encoding: 'utf8' });

      const failed = run({ [`${SERVICES.at(-2)!.database.toUpperCase()}_DATABASE_URL`]: 'fail' });
      expect(failed.status).not.toBe(0);
      expect(readdirSync(backups)).toEqual([]);

      // A run killed before its trap could run (a pod evicted) left this: the next run removes it.
      mkdirSync(path.join(backups, '2020-01-01T00-00-00Z.partial'));
      writeFileSync(path.join(backups, '2020-01-01T00-00-00Z.partial', 'trainee.dump'), 'half');
      const done = run({});
      expect(done.stderr).toBe('');
      expect(done.status).toBe(0);
      const [stamp, ...others] = readdirSync(backups);
      expect(others).toEqual([]);
      expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/);
      const written = path.join(backups, stamp);
      expect(readdirSync(written).sort()).toEqual(['SHA256SUMS', ...SERVICES.map((service) => `${service.database}.dump`)].sort());
      expect(statSync(written).mode & 0o777).toBe(0o700);
      for (const file of readdirSync(written)) expect(`${file} ${(statSync(path.join(written, file)).mode & 0o777).toString(8)}`).toBe(`${file} 600`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    const lines = script.split('\n');
    expect(lines.indexOf('sync')).toBeGreaterThan(lines.findIndex((line) => line.includes('SHA256SUMS')));
    expect(lines.indexOf('sync')).toBeLessThan(lines.findIndex((line) => line.startsWith('mv ')));
  });

  it('keeps k8s/secrets.example.yaml out of the kustomization and in step with the Secrets referenced', () => {
    expect(kustomization.resources).not.toContain('secrets.example.yaml');
    const text = readFileSync(path.join(K8S, 'secrets.example.yaml'), 'utf8');
    // All commented out: no document, or only empty ones.
    expect(YAML.parseAllDocuments(text).map((document) => document.toJSON()).filter((value) => value !== null)).toEqual([]);
    const examples = YAML.parseAllDocuments(text.slice(text.indexOf('# ---')).replace(/^# ?/gm, '')).map((document) => document.toJSON() as Resource & { stringData: Record<string, string> });
    expect(schemaErrors(examples).filter((error) => error !== null)).toEqual([]);
    const documented = Object.fromEntries(examples.map((secret) => [secret.metadata.name, Object.keys(secret.stringData).sort()]));
    const referenced = Object.fromEntries(WORKLOADS.filter((workload) => workload.secrets.length > 0).map((workload) => [`${workload.name}-secrets`, [...workload.secrets].sort()]));
    expect(documented).toEqual(referenced);
  });

  describe('fails on a deliberately broken manifest', () => {
    it('the schemas refuse a wrong type, a missing field and an out-of-range topic', () => {
      const broken = copy(resources);
      const deployment = pick<IDeployment>(broken, 'Deployment', 'placement-service');
      (deployment.spec as { replicas: unknown }).replicas = 'two';
      delete (containerOf(broken, 'placement-service') as Partial<IContainer>).name;
      const topic = pick<{ spec: { partitions: number } }>(broken, 'KafkaTopic');
      topic.spec.partitions = 0;
      const unknown = { apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaUser', metadata: { name: 'someone' } };

      const errors = schemaErrors([...broken, unknown]);
      expect(errors[broken.indexOf(deployment as unknown as Resource)]).toMatch(/replicas must be integer.*containers\/0 must have required property name/);
      expect(errors[broken.indexOf(topic as unknown as Resource)]).toMatch(/partitions must be >= 1/);
      expect(errors.at(-1)).toBe('no schema for kafka.strimzi.io/v1beta2/KafkaUser');
      expect(errors.filter((error) => error !== null)).toHaveLength(3);
    });

    it('the topology check reports a missing probe, a leaked secret, a writable root, a missing topic', () => {
      const broken = copy(resources);
      delete containerOf(broken, 'brand-service').readinessProbe;
      const trainee = containerOf(broken, 'trainee-service');
      trainee.env = trainee.env?.filter((entry) => entry.name !== 'PERSONAL_DATA_KEY');
      dataOf(broken, 'trainee-service-config').PERSONAL_DATA_KEY = 'in plain sight';
      (containerOf(broken, 'gateway').securityContext ??= {}).readOnlyRootFilesystem = false;
      const withoutDeadLetters = broken.filter((resource) => !(resource.kind === 'KafkaTopic' && (resource.spec as { topicName: string }).topicName === DEAD_LETTER_TOPIC));

      expect(k8sProblems(withoutDeadLetters)).toEqual([
        'trainee-service: PERSONAL_DATA_KEY does not come from the Secret trainee-service-secrets',
        'brand-service: readiness probe does not ask /health/ready on port 3005',
        'gateway: root filesystem is writable',
        `topic ${DEAD_LETTER_TOPIC}: no KafkaTopic`,
      ]);
    });

    it('the topology check reports a port, a ConfigMap value and a route that drift from the topology', () => {
      const broken = copy(resources);
      containerOf(broken, 'training-service').ports = [{ name: 'http', containerPort: 8080 }];
      dataOf(broken, 'gateway-config').BRAND_SERVICE_URL = 'http://brand-service:80';
      pick<IIngress>(broken, 'Ingress').spec = { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'brand-service', port: { name: 'http' } } } }] } }] };
      pick<IIngress>(broken, 'Ingress').metadata!.annotations = {};

      expect(k8sProblems(broken)).toEqual([
        'training-service: no container port 3002',
        'training-service: startup probe does not ask /health/live on port 3002',
        'training-service: liveness probe does not ask /health/live on port 3002',
        'training-service: readiness probe does not ask /health/ready on port 3002',
        'training-service: the Service does not forward port 3002 to the container',
        'gateway: BRAND_SERVICE_URL is "http://brand-service:80", not "http://brand-service:3005"',
        'an Ingress routes somewhere other than the gateway Service',
        'an Ingress passes no import file of up to 64 MiB (nginx.ingress.kubernetes.io/proxy-body-size)',
        `an Ingress gives up on the gateway before the gateway gives up on a service (${PROXY_TIMEOUT_MS / 1000} s; nginx.ingress.kubernetes.io/proxy-read-timeout, proxy-send-timeout)`,
      ]);
    });

    it('the topology check reports a workload without a startup probe, or one that restarts it before it can start', () => {
      const broken = copy(resources);
      delete containerOf(broken, 'identity-service').startupProbe;
      (containerOf(broken, 'gateway').startupProbe ??= {}).failureThreshold = 3;

      expect(k8sProblems(broken)).toEqual([
        'identity-service: startup probe does not ask /health/live on port 3006',
        `identity-service: the startup probe gives less than ${STARTUP_SECONDS} s to start`,
        `gateway: the startup probe gives less than ${STARTUP_SECONDS} s to start`,
      ]);
    });

    it('the render refuses kustomize features it does not implement, and applies images as kustomize does', () => {
      expect(() => renderKustomization(K8S, { ...kustomization, configMapGenerator: [] } as Kustomization)).toThrow(/configMapGenerator: not implemented/);
      expect(() => renderKustomization(K8S, { ...kustomization, resources: [...(kustomization.resources ?? []), 'ingress.yaml'] })).toThrow(/Ingress\/skills-ladder\/gateway is declared twice/);

      const retagged = renderKustomization(K8S, { ...kustomization, images: [{ name: 'skills-ladder/gateway', newName: 'registry.example.org:5000/skills/gateway', newTag: '1.4.2' }] });
      expect(pick<IService>(retagged, 'Service', 'gateway').metadata?.namespace).toBe(NAMESPACE);
      expect(containerOf(retagged, 'gateway').image).toBe('registry.example.org:5000/skills/gateway:1.4.2');
      expect(retag('registry.example.org:5000/skills/gateway:1.4.2', [{ name: 'registry.example.org:5000/skills/gateway', digest: 'sha256:abc' }])).toBe('registry.example.org:5000/skills/gateway@sha256:abc');
    });
  });
});
