// k8s/ validated offline: each resource against the Kubernetes schemas (kubernetes-models), the
// KafkaTopics against Strimzi's CRD fields, the whole against topology.ts, and kept up to date with
// the generator. A deliberately broken manifest must fail.
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import YAML from 'yaml';
import { k8sFiles, Manifest } from './k8s-manifests';
import { GATEWAY, KAFKA_TOPICS, SERVICES } from './topology';

const K8S = path.join(__dirname, '..', '..', 'k8s');
const topicSchema = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(path.join(__dirname, 'k8s', 'kafka-topic.schema.json'), 'utf8')));

/** kustomize's `resources` (the only feature used besides namespace and images): every document of every file. */
function renderKustomization(): { kustomization: Record<string, unknown>; resources: Manifest[] } {
  const kustomization = YAML.parse(readFileSync(path.join(K8S, 'kustomization.yaml'), 'utf8'));
  const resources = (kustomization.resources as string[]).flatMap((file) =>
    YAML.parseAllDocuments(readFileSync(path.join(K8S, file), 'utf8')).map((document) => document.toJSON() as Manifest),
  );
  return { kustomization, resources };
}

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
};

/** Throws on a resource the schemas refuse. */
function validateResource(resource: Manifest): void {
  if (resource.kind === 'KafkaTopic') {
    if (!topicSchema(resource)) throw new Error(`KafkaTopic ${resource.metadata.name}: ${JSON.stringify(topicSchema.errors)}`);
    return;
  }
  const Model = MODELS[`${resource.apiVersion}/${resource.kind}`];
  if (!Model) throw new Error(`no schema for ${resource.apiVersion} ${resource.kind}`);
  new Model(resource as never).validate();
}

/** What the topology asks of the manifests, as a list of problems (empty when all is well). */
export function k8sProblems(resources: Manifest[]): string[] {
  const problems: string[] = [];
  const find = (kind: string, name: string) => resources.find((resource) => resource.kind === kind && resource.metadata.name === name) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const workload of [...SERVICES, { ...GATEWAY, secrets: [] as string[] }]) {
    for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) if (!find(kind, workload.name)) problems.push(`${workload.name}: no ${kind}`);
    if (!find('ConfigMap', `${workload.name}-config`)) problems.push(`${workload.name}: no ConfigMap`);
    const container = find('Deployment', workload.name)?.spec?.template?.spec?.containers?.[0];
    if (!container) continue;
    if (container.ports?.[0]?.containerPort !== workload.port) problems.push(`${workload.name}: container port is not ${workload.port}`);
    if (container.livenessProbe?.httpGet?.path !== '/health/live') problems.push(`${workload.name}: liveness probe does not ask /health/live`);
    if (container.readinessProbe?.httpGet?.path !== '/health/ready') problems.push(`${workload.name}: readiness probe does not ask /health/ready`);
    if (!container.resources?.requests || !container.resources?.limits) problems.push(`${workload.name}: no resource requests and limits`);
    if (container.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${workload.name}: privilege escalation allowed`);
    const secretEnv = new Set((container.env ?? []).filter((entry: any) => entry.valueFrom?.secretKeyRef).map((entry: any) => entry.name)); // eslint-disable-line @typescript-eslint/no-explicit-any
    const neededSecrets = 'database' in workload ? ['DATABASE_URL', ...workload.secrets] : [];
    for (const secret of neededSecrets) if (!secretEnv.has(secret)) problems.push(`${workload.name}: ${secret} does not come from a Secret`);
    if (!find('Deployment', workload.name).spec.template.spec.securityContext?.runAsNonRoot) problems.push(`${workload.name}: may run as root`);
  }
  const topics = new Set(resources.filter((resource) => resource.kind === 'KafkaTopic').map((resource: any) => resource.spec.topicName)); // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const topic of KAFKA_TOPICS) if (!topics.has(topic)) problems.push(`topic ${topic}: no KafkaTopic`);
  const ingress = resources.find((resource) => resource.kind === 'Ingress') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (ingress?.spec?.rules?.[0]?.http?.paths?.[0]?.backend?.service?.name !== GATEWAY.name) problems.push('the Ingress does not route to the gateway');
  return problems;
}

describe('k8s/ (kustomize)', () => {
  const { kustomization, resources } = renderKustomization();

  it('is what tools/deploy/k8s-manifests.ts makes from the topology (run npm run k8s:generate after changing it)', () => {
    for (const [file, manifests] of Object.entries(k8sFiles())) {
      const onDisk = YAML.parseAllDocuments(readFileSync(path.join(K8S, file), 'utf8')).map((document) => document.toJSON());
      expect(onDisk).toEqual(JSON.parse(JSON.stringify(manifests)));
    }
    expect(kustomization).toMatchObject({ namespace: 'skills-ladder' });
  });

  it('validates every resource against the Kubernetes schemas (and KafkaTopics against Strimzi’s)', () => {
    expect(resources.length).toBeGreaterThan(30);
    for (const resource of resources) expect(() => validateResource(resource)).not.toThrow();
  });

  it('gives every service and the gateway what the topology asks, and every topic a KafkaTopic', () => {
    expect(k8sProblems(resources)).toEqual([]);
  });

  it('fails on a deliberately broken manifest', () => {
    const broken = JSON.parse(JSON.stringify(resources)) as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const deployment = broken.find((resource) => resource.kind === 'Deployment' && resource.metadata.name === 'placement-service');
    deployment.spec.replicas = 'two';
    expect(() => validateResource(deployment)).toThrow(/replicas/);
    delete deployment.spec.template.spec.containers[0].name;
    expect(() => validateResource(deployment)).toThrow(/name/);
    const topic = broken.find((resource) => resource.kind === 'KafkaTopic');
    topic.spec.partitions = 0;
    expect(() => validateResource(topic)).toThrow(/partitions/);

    const unprobed = JSON.parse(JSON.stringify(resources)) as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    delete unprobed.find((resource) => resource.kind === 'Deployment' && resource.metadata.name === 'brand-service').spec.template.spec.containers[0].readinessProbe;
    expect(k8sProblems(unprobed)).toEqual(['brand-service: readiness probe does not ask /health/ready']);
    const leaky = JSON.parse(JSON.stringify(resources)) as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const container = leaky.find((resource) => resource.kind === 'Deployment' && resource.metadata.name === 'trainee-service').spec.template.spec.containers[0];
    container.env = container.env.filter((entry: { name: string }) => entry.name !== 'PERSONAL_DATA_KEY');
    expect(k8sProblems(leaky)).toEqual(['trainee-service: PERSONAL_DATA_KEY does not come from a Secret']);
  });
});
