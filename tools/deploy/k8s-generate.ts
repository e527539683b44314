// npm run k8s:generate — writes k8s/ from tools/deploy/k8s-manifests.ts (and so from topology.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { fileHeader, k8sFiles, kustomization, NAMESPACE } from './k8s-manifests';

const K8S = path.join(__dirname, '..', '..', 'k8s');
/** Plain data, no shared references (YAML would turn those into anchors). */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
const files = k8sFiles();
for (const [name, manifests] of Object.entries(files)) writeFileSync(path.join(K8S, name), fileHeader(name) + manifests.map((manifest) => YAML.stringify(plain(manifest))).join('---\n'));
writeFileSync(path.join(K8S, 'namespace.yaml'), fileHeader('namespace.yaml') + YAML.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }));
writeFileSync(path.join(K8S, 'kustomization.yaml'), fileHeader('kustomization.yaml') + YAML.stringify(kustomization(Object.keys(files))));
console.log(`wrote ${Object.keys(files).length + 2} files to k8s/`);
