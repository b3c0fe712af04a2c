// The Kubernetes manifests under deploy/k8s/ as parsed objects, with accessors for what the tests inspect.
import { readdirSync } from 'node:fs';
import { list, record, repoPath, yamlDocument, yamlDocuments } from './support';

export const K8S_DIR = 'deploy/k8s';

export interface Manifest {
  file: string;
  kind: string;
  name: string;
  namespace?: string;
  doc: Record<string, unknown>;
}

export const KUSTOMIZATION = `${K8S_DIR}/kustomization.yaml`;

/** The files kustomize applies, in the order kustomization.yaml lists them. */
export function manifestFiles(): string[] {
  const kustomization = record(yamlDocument(KUSTOMIZATION), KUSTOMIZATION);
  return list(kustomization.resources, 'resources').map((file) => `${K8S_DIR}/${String(file)}`);
}

/** Every YAML file in the folder, so that none is left out of kustomization.yaml by mistake. */
export function yamlFilesInFolder(): string[] {
  return readdirSync(repoPath(K8S_DIR))
    .filter((file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml')
    .sort()
    .map((file) => `${K8S_DIR}/${file}`);
}

let parsed: Manifest[] | undefined;

/** Every document of every manifest file, read once per test file (tests only read them). */
export function manifests(): Manifest[] {
  parsed ??= manifestFiles().flatMap((file) =>
    yamlDocuments(file).map((value, index) => {
      const doc = record(value, `${file} document ${index + 1}`);
      const metadata = record(doc.metadata ?? {}, `${file} metadata`);
      return {
        file,
        kind: String(doc.kind),
        name: String(metadata.name),
        ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
        doc,
      };
    }),
  );
  return parsed;
}

export function find(kind: string, name: string): Record<string, unknown> {
  const found = manifests().find((m) => m.kind === kind && m.name === name);
  if (found === undefined) throw new Error(`${K8S_DIR} has no ${kind} ${name}`);
  return found.doc;
}

export const at = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((current, key) => record(current, key)[key], value);

export function labels(value: unknown, ...keys: string[]): Record<string, string> {
  return record(at(value, ...keys), keys.join('.')) as Record<string, string>;
}

export function podSpec(deployment: Record<string, unknown>): Record<string, unknown> {
  return record(at(deployment, 'spec', 'template', 'spec'), 'spec.template.spec');
}

export function containers(deployment: Record<string, unknown>): Record<string, unknown>[] {
  return list(podSpec(deployment).containers, 'containers').map((c) => record(c, 'container'));
}

export function volumes(deployment: Record<string, unknown>): Record<string, unknown>[] {
  return list(podSpec(deployment).volumes ?? [], 'volumes').map((v) => record(v, 'volume'));
}

export interface EnvVar {
  name: string;
  value?: string;
  secretKeyRef?: { name: string; key: string; optional?: boolean };
}

export function envVars(container: Record<string, unknown>): EnvVar[] {
  return list(container.env ?? [], 'env').map((entry) => {
    const env = record(entry, 'env[]');
    const from =
      env.valueFrom === undefined ? undefined : record(env.valueFrom, `${String(env.name)}.valueFrom`);
    return {
      name: String(env.name),
      ...(typeof env.value === 'string' ? { value: env.value } : {}),
      ...(from?.secretKeyRef !== undefined
        ? { secretKeyRef: from.secretKeyRef as EnvVar['secretKeyRef'] }
        : {}),
    };
  });
}

/** Names of the ConfigMaps a container takes its whole environment from. */
export function envFromConfigMaps(container: Record<string, unknown>): string[] {
  return list(container.envFrom ?? [], 'envFrom').map((entry) => String(at(entry, 'configMapRef', 'name')));
}

/** Every environment variable name a container gets: its env plus the keys of the ConfigMaps it imports. */
export function environmentNames(container: Record<string, unknown>): string[] {
  const fromConfigMaps = envFromConfigMaps(container).flatMap((name) =>
    Object.keys(record(find('ConfigMap', name).data, `ConfigMap ${name} data`)),
  );
  return [...envVars(container).map((e) => e.name), ...fromConfigMaps];
}

/** The value a container sees for `name`, from env or an imported ConfigMap. */
export function environmentValue(container: Record<string, unknown>, name: string): string | undefined {
  const direct = envVars(container).find((e) => e.name === name);
  if (direct !== undefined) return direct.value;
  for (const configMap of envFromConfigMaps(container)) {
    const data = record(find('ConfigMap', configMap).data, 'data');
    if (typeof data[name] === 'string') return data[name];
  }
  return undefined;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}

export function volumeMounts(container: Record<string, unknown>): VolumeMount[] {
  return list(container.volumeMounts ?? [], 'volumeMounts').map(
    (m) => record(m, 'volumeMount') as unknown as VolumeMount,
  );
}

/** The volume mounted at or above `filePath`, with its definition. */
export function volumeHolding(
  deployment: Record<string, unknown>,
  container: Record<string, unknown>,
  filePath: string,
): { mount: VolumeMount; volume: Record<string, unknown> } | undefined {
  const mount = volumeMounts(container).find(
    (m) => filePath === m.mountPath || filePath.startsWith(`${m.mountPath}/`),
  );
  const volume = volumes(deployment).find((v) => v.name === mount?.name);
  return mount && volume ? { mount, volume } : undefined;
}

/** A probe's or Service's port (name or number) as the container's port number. */
export function containerPort(container: Record<string, unknown>, port: unknown): number | undefined {
  const ports = list(container.ports ?? [], 'ports').map((p) => record(p, 'port'));
  const found = ports.find((p) => p.name === port || p.containerPort === port);
  return typeof found?.containerPort === 'number' ? found.containerPort : undefined;
}
