// The Kubernetes manifests of k8s/, made from topology.ts: per service and for the gateway a
// Deployment, Service, ConfigMap, HorizontalPodAutoscaler and PodDisruptionBudget (Secrets are
// referenced, never committed), the Kafka topics as Strimzi KafkaTopics, an Ingress for the gateway, and
// a CronJob that backs up every service's database.
// `npm run k8s:generate` writes them; tools/deploy/k8s.spec.ts checks k8s/ is what this makes.
// Every workload's image is the one Dockerfile at the repository root built for it (its header says how).
import { DEAD_LETTER_TOPIC } from '@skills/contracts';
import { PROXY_TIMEOUT_MS } from '@skills/gateway';
import { TOPIC_PARTITIONS, topicSettings } from '@skills/messaging';
import { GATEWAY, imageBuildCommand, imageName, KAFKA_TOPICS, SERVICES, serviceEnvironment, serviceUrl, serviceUrlVariable } from './topology';

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [field: string]: unknown };

export const NAMESPACE = 'skills-ladder';
export const KAFKA_CLUSTER = 'skills-kafka';
const KAFKA_BOOTSTRAP = `${KAFKA_CLUSTER}-kafka-bootstrap:9092`;
/** The brokers of the Strimzi cluster the manifests expect (its topics' replicas follow: topicSettings). */
const KAFKA_BROKERS = 3;
/** The Ingress host; its origin is PUBLIC_ORIGIN, the token issuer's name (with TLS in front: https://…, in both places). */
export const PUBLIC_HOST = 'skills-ladder.example.org';
export const PUBLIC_ORIGIN = `http://${PUBLIC_HOST}`;

interface Workload {
  name: string;
  port: number;
  /** Non-secret environment, in the ConfigMap. */
  config: Record<string, string>;
  /** Environment from the workload's Secret (`<name>-secrets`), created by the operator. */
  secrets: string[];
}

const workloads = (): Workload[] => [
  ...SERVICES.map((service) => {
    // DATABASE_URL carries the database password: it comes from the Secret, not the ConfigMap.
    const { DATABASE_URL: _secret, ...environment } = serviceEnvironment(service, {
      kafkaBrokers: KAFKA_BOOTSTRAP,
      postgres: 'postgres://in-the-secret',
      publicOrigin: PUBLIC_ORIGIN,
      urlOf: serviceUrl,
    });
    return { name: service.name, port: service.port, config: { ...environment, KAFKA_CLIENT_ID: service.name }, secrets: ['DATABASE_URL', ...service.secrets] };
  }),
  {
    name: GATEWAY.name,
    port: GATEWAY.port,
    config: { PORT: String(GATEWAY.port), ...Object.fromEntries(SERVICES.map((service) => [serviceUrlVariable(service), serviceUrl(service)])) },
    secrets: [],
  },
];

/**
 * How long a container may take to start before Kubernetes restarts it, in probes 10 s apart: a service
 * opens its HTTP port only once it has migrated its database, made its topics and joined its consumer
 * group, which on a loaded cluster or after a long outage takes minutes, not the ~50 s the liveness probe
 * alone would give (its first look after 20 s, a restart after 3 failures). Until the startup probe
 * succeeds, neither liveness nor readiness is asked.
 */
export const STARTUP_PROBE = { periodSeconds: 10, failureThreshold: 30 };

function workloadManifests(workload: Workload): Manifest[] {
  const labels = { 'app.kubernetes.io/name': workload.name, 'app.kubernetes.io/part-of': 'skills-ladder' };
  const probe = (path: string, initialDelaySeconds: number) => ({ httpGet: { path, port: 'http' }, initialDelaySeconds, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 });
  const startupProbe = { httpGet: { path: '/health/live', port: 'http' }, periodSeconds: STARTUP_PROBE.periodSeconds, timeoutSeconds: 3, failureThreshold: STARTUP_PROBE.failureThreshold };
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${workload.name}-config`, labels }, data: workload.config },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: workload.name, labels },
      // No replicas: the HorizontalPodAutoscaler below keeps the count (at least 2); one set here would
      // reset a scaled-out service to it at every `kubectl apply`, a roll-out of a new image included.
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: workload.name,
                image: `${imageName(workload)}:latest`,
                // A `:latest` image is otherwise always pulled: one built on the node (docker build, kind load) never starts.
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: 'http', containerPort: workload.port }],
                envFrom: [{ configMapRef: { name: `${workload.name}-config` } }],
                env: workload.secrets.map((name) => ({ name, valueFrom: { secretKeyRef: { name: `${workload.name}-secrets`, key: name } } })),
                startupProbe,
                livenessProbe: probe('/health/live', 20),
                readinessProbe: probe('/health/ready', 10),
                resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: workload.name, labels }, spec: { selector: labels, ports: [{ name: 'http', port: workload.port, targetPort: 'http' }] } },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: workload.name, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: workload.name },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: workload.name, labels }, spec: { minAvailable: 1, selector: { matchLabels: labels } } },
  ];
}

function topicManifests(): Manifest[] {
  return [...KAFKA_TOPICS, DEAD_LETTER_TOPIC].map((topic) => ({
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaTopic',
    metadata: { name: topic.replace(/\./g, '-'), labels: { 'strimzi.io/cluster': KAFKA_CLUSTER } },
    // Kept forever: the topics are the integration log every read model can be rebuilt from.
    spec: { topicName: topic, partitions: TOPIC_PARTITIONS, ...topicSettings(KAFKA_BROKERS) },
  }));
}

/** Where the backups go, and how many of them stay (a week at one every 6 hours). */
export const BACKUP_VOLUME = 'database-backups';
const BACKUPS_KEPT = 28;
/** The database URL of each service, as the backup job's environment names it (from the service's Secret). */
export const backupUrlVariable = (service: { database: string }) => `${service.database.toUpperCase()}_DATABASE_URL`;

/**
 * Every service's database, dumped every 6 hours by one CronJob: pg_dump (custom format, one consistent
 * snapshot of each database) into a directory named by its time on a PersistentVolumeClaim, with the
 * files' SHA-256 sums, renamed from `.partial` once whole and on the disk, and the last BACKUPS_KEPT kept.
 * A dump that fails takes its `.partial` with it (each retry has a new time, so one left behind would never
 * be reused and the volume would fill); one a killed pod left is removed by the next run. The services'
 * images hold only their own service, not the all-in-one's `npm run backup`; a real Postgres server has
 * pg_dump, which the embedded one of `npm start` lacks. Restore, with the services stopped: pg_restore each
 * into an empty database of the same name on the server they were dumped from, whose transaction counter is
 * past the transaction ids the event logs keep; a lost server comes back from continuous archiving instead,
 * as the dumps are not portable to a new one (README, "Operations").
 */
function backupManifests(): Manifest[] {
  const labels = { 'app.kubernetes.io/name': 'database-backup', 'app.kubernetes.io/part-of': 'skills-ladder' };
  const script = [
    'set -eu',
    // The dumps hold what the databases hold: the job's user alone reads them.
    'umask 077',
    'stamp=$(date -u +%Y-%m-%dT%H-%M-%SZ)',
    'dir=/backups/$stamp.partial',
    // Concurrency is Forbid: no other run is writing one.
    'find /backups -mindepth 1 -maxdepth 1 -name "*.partial" -exec rm -rf {} +',
    'trap \'rm -rf "$dir"\' EXIT',
    // As the container's first process, sh would ignore a stop signal it has no handler for.
    'trap \'exit 1\' HUP INT TERM',
    'mkdir -p "$dir"',
    ...SERVICES.map((service) => `pg_dump --format=custom --dbname="$${backupUrlVariable(service)}" --file="$dir/${service.database}.dump"`),
    '(cd "$dir" && sha256sum *.dump > SHA256SUMS)',
    // On the disk before the name says it is whole.
    'sync',
    'mv "$dir" "/backups/$stamp"',
    'trap - EXIT',
    `ls -d /backups/*Z | sort | head -n -${BACKUPS_KEPT} | xargs -r rm -rf`,
  ].join('\n');
  return [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: BACKUP_VOLUME, labels },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'database-backup', labels },
      spec: {
        schedule: '0 */6 * * *',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            template: {
              metadata: { labels },
              spec: {
                restartPolicy: 'OnFailure',
                // The postgres image's own user.
                securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [
                  {
                    name: 'pg-dump',
                    image: 'postgres:17-bookworm',
                    command: ['sh', '-c', script],
                    env: SERVICES.map((service) => ({ name: backupUrlVariable(service), valueFrom: { secretKeyRef: { name: `${service.name}-secrets`, key: 'DATABASE_URL' } } })),
                    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                    volumeMounts: [{ name: 'backups', mountPath: '/backups' }],
                  },
                ],
                volumes: [{ name: 'backups', persistentVolumeClaim: { claimName: BACKUP_VOLUME } }],
              },
            },
          },
        },
      },
    },
  ];
}

/**
 * The largest request body the Ingress passes, in MiB: an import's file (trainee-service's MAX_FILE_BYTES,
 * 64 MiB) and its multipart framing. ingress-nginx refuses more than 1 MiB by default (413), a school's
 * roster of a few thousand rows already.
 */
const INGRESS_BODY_MIB = 65;

/**
 * How long the Ingress waits for the gateway's answer, in seconds: longer than the gateway waits for a
 * service (PROXY_TIMEOUT_MS, above the services' longest rightful wait), so the client gets the service's
 * answer, or failing that the gateway's 502, rather than ingress-nginx's 504 after its default 60 s (a
 * repeat of a command whose Idempotency-Key is still held alone waits that long before its 409).
 */
export const INGRESS_PROXY_TIMEOUT_SECONDS = Math.ceil(PROXY_TIMEOUT_MS / 1000) + 5;

function ingress(): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: GATEWAY.name,
      labels: { 'app.kubernetes.io/part-of': 'skills-ladder' },
      annotations: {
        'nginx.ingress.kubernetes.io/proxy-body-size': `${INGRESS_BODY_MIB}m`,
        'nginx.ingress.kubernetes.io/proxy-read-timeout': String(INGRESS_PROXY_TIMEOUT_SECONDS),
        'nginx.ingress.kubernetes.io/proxy-send-timeout': String(INGRESS_PROXY_TIMEOUT_SECONDS),
      },
    },
    spec: {
      // ingress-nginx takes only an Ingress of its class, unless a default class is set; the annotations are its.
      ingressClassName: 'nginx',
      rules: [{ host: PUBLIC_HOST, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: GATEWAY.name, port: { name: 'http' } } } }] } }],
    },
  };
}

const GENERATED = '# Generated by `npm run k8s:generate` from tools/deploy/topology.ts; edit tools/deploy/k8s-manifests.ts instead.\n';

/** The comment a generated file under k8s/ starts with: for a workload's file, also how its image is built. */
export function fileHeader(file: string): string {
  const workload = workloads().find((candidate) => file === `${candidate.name}.yaml`);
  if (!workload) return GENERATED;
  return `${GENERATED}# Image ${imageName(workload)}, built from the repository root with the one Dockerfile:\n#   ${imageBuildCommand(workload)}\n`;
}

/** File name (under k8s/) → its manifests. */
export function k8sFiles(): Record<string, Manifest[]> {
  const files: Record<string, Manifest[]> = {};
  for (const workload of workloads()) files[`${workload.name}.yaml`] = workloadManifests(workload);
  files['kafka-topics.yaml'] = topicManifests();
  files['ingress.yaml'] = [ingress()];
  files['database-backup.yaml'] = backupManifests();
  return files;
}

export function kustomization(files: string[]) {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: NAMESPACE,
    resources: ['namespace.yaml', ...files],
    images: [...SERVICES, GATEWAY].map((workload) => ({ name: imageName(workload), newTag: 'latest' })),
  };
}
