// The Kubernetes manifests against the code and the image: environment names the code reads, Secrets by
// reference only, probes, ports, labels, security context, the catalog ConfigMap and the gate's
// AnalysisTemplate.
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../../../src/catalog/loader';
import { parseAllowedSigners } from '../../../src/signing/allowed-signers';
import { cliCommands } from './commands';
import {
  at,
  containerPort,
  containers,
  envFromConfigMaps,
  envVars,
  environmentNames,
  environmentValue,
  find,
  labels,
  manifests,
  podSpec,
  volumeHolding,
  volumeMounts,
  volumes,
  yamlFilesInFolder,
  K8S_DIR,
  KUSTOMIZATION,
  manifestFiles,
} from './k8s';
import { codeReadsEnv, dockerStages, list, readRepoFile, record, repoPath, yamlDocument } from './support';

const NAMESPACE = 'safedeploy';
const worker = () => find('Deployment', 'safedeploy-worker');
const api = () => find('Deployment', 'safedeploy-api');
const DEPLOYMENTS: [string, () => Record<string, unknown>][] = [
  ['worker', worker],
  ['API', api],
];
const CREDENTIAL = /TOKEN|API_KEY|PRIVATE_KEY$|PASSWORD|SECRET/;
const EXAMPLE_CATALOG = ['backend.yml', 'checkout.yaml'];

describe('the Kubernetes manifests', () => {
  test('every document parses and has apiVersion, kind and metadata.name', () => {
    const all = manifests();
    expect(all.length).toBeGreaterThan(0);
    for (const m of all) {
      expect({
        file: m.file,
        apiVersion: typeof m.doc.apiVersion,
        kind: typeof m.doc.kind,
        name: typeof at(m.doc, 'metadata', 'name'),
      }).toEqual({
        file: m.file,
        apiVersion: 'string',
        kind: 'string',
        name: 'string',
      });
    }
  });

  test('are the namespace, config, catalog, registration Job, two Deployments, the API Service, budgets and policies; no Secret, no volume claim', () => {
    expect(
      manifests()
        .map((m) => `${m.kind}/${m.name}`)
        .sort(),
    ).toEqual([
      'ConfigMap/safedeploy-allowed-signers',
      'ConfigMap/safedeploy-catalog',
      'ConfigMap/safedeploy-config',
      'Deployment/safedeploy-api',
      'Deployment/safedeploy-worker',
      'Job/safedeploy-search-attributes',
      'Namespace/safedeploy',
      'NetworkPolicy/safedeploy-api',
      'NetworkPolicy/safedeploy-worker',
      'PodDisruptionBudget/safedeploy-api',
      'PodDisruptionBudget/safedeploy-worker',
      'Service/safedeploy-api',
    ]);
  });

  test('apply in order from kustomization.yaml: the namespace first, every file of the folder listed once', () => {
    const files = manifestFiles();
    expect(files[0]).toBe(`${K8S_DIR}/namespace.yaml`);
    expect(manifests()[0]).toMatchObject({ kind: 'Namespace', name: NAMESPACE });
    expect(new Set(files).size).toBe(files.length);
    expect([...files].sort()).toEqual(yamlFilesInFolder());
    const kustomization = record(yamlDocument(KUSTOMIZATION), 'kustomization');
    expect(kustomization.namespace).toBe(NAMESPACE);
    // Only core and built-in API groups: a fresh cluster needs no CRD (Argo Rollouts, Prometheus Operator).
    const BUILT_IN = /^(v1|apps\/v1|batch\/v1|policy\/v1|networking\.k8s\.io\/v1)$/;
    expect(
      manifests()
        .filter((m) => !BUILT_IN.test(String(m.doc.apiVersion)))
        .map((m) => m.file),
    ).toEqual([]);
  });

  test('put every SafeDeploy object in the safedeploy namespace (the gate template goes with the applications)', () => {
    expect(readdirSync(repoPath(K8S_DIR)).filter((f) => /analysis/i.test(f))).toEqual([]);
    for (const m of manifests().filter((m) => m.kind !== 'Namespace')) {
      expect({ object: `${m.kind}/${m.name}`, namespace: m.namespace }).toEqual({
        object: `${m.kind}/${m.name}`,
        namespace: NAMESPACE,
      });
    }
  });

  test('each Deployment selects its own pods and not the other one', () => {
    const podLabels = (d: Record<string, unknown>) => labels(d, 'spec', 'template', 'metadata', 'labels');
    const selector = (d: Record<string, unknown>) => labels(d, 'spec', 'selector', 'matchLabels');
    expect(podLabels(worker())).toMatchObject(selector(worker()));
    expect(podLabels(api())).toMatchObject(selector(api()));
    expect(podLabels(api())).not.toMatchObject(selector(worker()));
    expect(podLabels(worker())).not.toMatchObject(selector(api()));
  });

  test('the Service selects the API pods only and targets the API container port', () => {
    const service = find('Service', 'safedeploy-api');
    const selector = record(at(service, 'spec', 'selector'), 'selector');
    expect(labels(api(), 'spec', 'template', 'metadata', 'labels')).toMatchObject(selector);
    expect(labels(worker(), 'spec', 'template', 'metadata', 'labels')).not.toMatchObject(selector);
    const [port] = list(at(service, 'spec', 'ports'), 'ports').map((p) => record(p, 'port'));
    expect(containerPort(containers(api())[0]!, port?.targetPort)).toBe(8080);
    expect(port?.port).toBe(8080);
  });

  test.each(DEPLOYMENTS)('every %s container requests CPU and memory and limits memory', (_, deployment) => {
    for (const container of containers(deployment())) {
      const resources = record(container.resources, 'resources');
      const requests = record(resources.requests, 'requests');
      expect(Object.keys(requests).sort()).toEqual(['cpu', 'memory']);
      expect(record(resources.limits, 'limits')).toHaveProperty('memory');
    }
  });

  test('the API is probed for liveness and readiness on /healthz at its container port', () => {
    const [container] = containers(api());
    for (const probe of ['livenessProbe', 'readinessProbe']) {
      const httpGet = record(at(container, probe, 'httpGet'), `${probe}.httpGet`);
      expect(httpGet.path).toBe('/healthz');
      expect(containerPort(container!, httpGet.port)).toBe(8080);
    }
  });

  test.each(DEPLOYMENTS)(
    'the %s containers set only environment variables the code reads',
    (_, deployment) => {
      for (const container of containers(deployment())) {
        const names = environmentNames(container);
        expect(names.length).toBeGreaterThan(0);
        expect(names.filter((name) => !codeReadsEnv(name))).toEqual([]);
      }
    },
  );

  test('the mTLS settings the config explains are ones the code reads, pointing into the mounted Secret', () => {
    const commented = [
      ...readRepoFile(`${K8S_DIR}/config.yaml`).matchAll(/^\s*#\s+(TEMPORAL_TLS_\w+): (\S+)$/gm),
    ];
    expect(commented.map((m) => m[1])).toEqual(['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA']);
    for (const [deploymentName, deployment] of DEPLOYMENTS) {
      const [container] = containers(deployment());
      for (const [, name, file] of commented) {
        expect(codeReadsEnv(name!)).toBe(true);
        const holder = volumeHolding(deployment(), container!, file!);
        expect({ deploymentName, file, secret: holder?.volume.secret }).toEqual({
          deploymentName,
          file,
          secret: { secretName: 'safedeploy-temporal-tls', optional: true },
        });
      }
    }
  });

  test('credentials come from Secret references, never from values in the manifests', () => {
    expect(manifests().filter((m) => m.kind === 'Secret')).toEqual([]);
    const config = record(find('ConfigMap', 'safedeploy-config').data, 'data');
    expect(Object.keys(config).filter((key) => CREDENTIAL.test(key))).toEqual([]);
    for (const [, deployment] of DEPLOYMENTS) {
      for (const container of containers(deployment())) {
        for (const env of envVars(container).filter((e) => CREDENTIAL.test(e.name))) {
          expect({ env: env.name, value: env.value, fromSecret: env.secretKeyRef !== undefined }).toEqual({
            env: env.name,
            value: undefined,
            fromSecret: true,
          });
        }
      }
    }
  });

  test('the worker can use a GitHub token or a GitHub App, and a Temporal API key, all optional; the database is required', () => {
    const [container] = containers(worker());
    const fromSecret = Object.fromEntries(
      envVars(container!)
        .filter((e) => e.secretKeyRef)
        .map((e) => [e.name, e.secretKeyRef]),
    );
    expect(fromSecret).toEqual({
      GITHUB_TOKEN: { name: 'safedeploy-github', key: 'token', optional: true },
      GITHUB_APP_ID: { name: 'safedeploy-github', key: 'app-id', optional: true },
      GITHUB_APP_INSTALLATION_ID: { name: 'safedeploy-github', key: 'installation-id', optional: true },
      TEMPORAL_API_KEY: { name: 'safedeploy-temporal', key: 'api-key', optional: true },
      SAFEDEPLOY_DATABASE_URL: { name: 'safedeploy-database', key: 'url' },
    });
    // The App's private key is a file from the same Secret (multi-line PEM).
    const keyFile = environmentValue(container!, 'GITHUB_APP_PRIVATE_KEY_FILE') ?? '';
    const holder = volumeHolding(worker(), container!, keyFile);
    expect(holder?.volume.secret).toEqual({
      secretName: 'safedeploy-github',
      optional: true,
      items: [{ key: 'private-key', path: path.posix.relative(holder?.mount.mountPath ?? '', keyFile) }],
    });
  });

  test('the API takes its bearer token from a required Secret', () => {
    const token = envVars(containers(api())[0]!).find((e) => e.name === 'SAFEDEPLOY_API_TOKEN');
    expect(token?.secretKeyRef).toEqual({ name: 'safedeploy-api', key: 'token' });
  });

  test.each(DEPLOYMENTS)(
    'the %s runs as the image user, non-root, on a read-only root filesystem',
    (_, deployment) => {
      const runtime = dockerStages(readRepoFile('Dockerfile')).at(-1)!;
      const imageUser = runtime.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args ?? '';
      const pod = record(podSpec(deployment()).securityContext, 'securityContext');
      expect(pod).toMatchObject({ runAsNonRoot: true, runAsUser: Number(imageUser.split(':')[0]) });
      expect(podSpec(deployment()).automountServiceAccountToken).toBe(false);
      for (const container of containers(deployment())) {
        expect(record(container.securityContext, 'securityContext')).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        // os.tmpdir() (git's scratch index files) must stay writable.
        expect(volumeHolding(deployment(), container, '/tmp')?.volume).toHaveProperty('emptyDir');
      }
    },
  );

  test('two worker replicas roll one at a time, each with its own git cache, evidence and audit in PostgreSQL', () => {
    expect(at(worker(), 'spec', 'replicas')).toBe(2);
    expect(at(worker(), 'spec', 'strategy')).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    const [container] = containers(worker());
    const dataDir = environmentValue(container!, 'SAFEDEPLOY_DATA_DIR') ?? '';
    expect(volumeHolding(worker(), container!, dataDir)?.volume).toHaveProperty('emptyDir');
    const database = envVars(container!).find((e) => e.name === 'SAFEDEPLOY_DATABASE_URL');
    expect(database?.secretKeyRef).toEqual({ name: 'safedeploy-database', key: 'url' });
    expect(
      [...volumes(worker()), ...volumes(api())].filter((v) => v.persistentVolumeClaim !== undefined),
    ).toEqual([]);
  });

  test('SIGTERM drains the worker’s activities within the pod’s grace period', () => {
    const [container] = containers(worker());
    const grace = environmentValue(container!, 'SAFEDEPLOY_SHUTDOWN_GRACE') ?? '';
    expect(codeReadsEnv('SAFEDEPLOY_SHUTDOWN_GRACE')).toBe(true);
    expect(grace).toMatch(/^\d+s$/);
    const podGrace = Number(podSpec(worker()).terminationGracePeriodSeconds);
    expect(Number.parseInt(grace, 10)).toBeGreaterThan(0);
    expect(Number.parseInt(grace, 10)).toBeLessThanOrEqual(podGrace - 10);
  });

  test.each(DEPLOYMENTS)(
    'the %s spreads its replicas over nodes and keeps one through disruptions',
    (_, deployment) => {
      const podLabels = labels(deployment(), 'spec', 'template', 'metadata', 'labels');
      const spread = list(podSpec(deployment()).topologySpreadConstraints, 'topologySpreadConstraints').map(
        (c) => record(c, 'constraint'),
      );
      expect(spread.map((c) => c.topologyKey)).toContain('kubernetes.io/hostname');
      for (const c of spread) expect(podLabels).toMatchObject(labels(c, 'labelSelector', 'matchLabels'));
      const budgets = manifests().filter(
        (m) =>
          m.kind === 'PodDisruptionBudget' &&
          Object.entries(labels(m.doc, 'spec', 'selector', 'matchLabels')).every(
            ([k, v]) => podLabels[k] === v,
          ),
      );
      expect(budgets).toHaveLength(1);
      expect(at(budgets[0]!.doc, 'spec', 'minAvailable')).toBe(1);
      expect(Number(at(deployment(), 'spec', 'replicas'))).toBeGreaterThan(1);
    },
  );

  test('only Argo Rollouts and monitoring reach the API (the gate); nothing reaches the worker', () => {
    const policy = find('NetworkPolicy', 'safedeploy-api');
    expect(labels(api(), 'spec', 'template', 'metadata', 'labels')).toMatchObject(
      labels(policy, 'spec', 'podSelector', 'matchLabels'),
    );
    const [rule] = list(at(policy, 'spec', 'ingress'), 'ingress').map((r) => record(r, 'rule'));
    const namespaces = list(rule!.from, 'from').map((peer) =>
      String(at(peer, 'namespaceSelector', 'matchLabels', 'kubernetes.io/metadata.name')),
    );
    expect(namespaces.sort()).toEqual(['argo-rollouts', 'monitoring']);
    const [port] = list(rule!.ports, 'ports').map((p) => record(p, 'port'));
    expect(containerPort(containers(api())[0]!, port?.port)).toBe(8080);
    const workerPolicy = find('NetworkPolicy', 'safedeploy-worker');
    expect(at(workerPolicy, 'spec', 'policyTypes')).toEqual(['Ingress']);
    expect(record(at(workerPolicy, 'spec'), 'spec').ingress).toBeUndefined();
    expect(labels(worker(), 'spec', 'template', 'metadata', 'labels')).toMatchObject(
      labels(workerPolicy, 'spec', 'podSelector', 'matchLabels'),
    );
  });

  test('the ServiceMonitor component scrapes the API Service’s port at /metrics', () => {
    const component = record(yamlDocument(`${K8S_DIR}/prometheus-operator/kustomization.yaml`), 'component');
    expect(component.kind).toBe('Component');
    const [file] = list(component.resources, 'resources').map(String);
    const monitor = record(yamlDocument(`${K8S_DIR}/prometheus-operator/${file}`), 'ServiceMonitor');
    expect(monitor.kind).toBe('ServiceMonitor');
    const service = find('Service', 'safedeploy-api');
    expect(labels(service, 'metadata', 'labels')).toMatchObject(
      labels(monitor, 'spec', 'selector', 'matchLabels'),
    );
    const [endpoint] = list(at(monitor, 'spec', 'endpoints'), 'endpoints').map((e) => record(e, 'endpoint'));
    const [port] = list(at(service, 'spec', 'ports'), 'ports').map((p) => record(p, 'port'));
    expect(endpoint).toMatchObject({ port: port?.name, path: '/metrics' });
  });

  test('the registration Job runs the image’s copy of the script with the admin-tools CLI and the shared config', () => {
    const job = find('Job', 'safedeploy-search-attributes');
    const spec = record(at(job, 'spec', 'template', 'spec'), 'pod');
    const [init] = list(spec.initContainers, 'initContainers').map((c) => record(c, 'init'));
    const [register] = list(spec.containers, 'containers').map((c) => record(c, 'container'));
    expect(init!.image).toBe(containers(worker())[0]!.image);
    const [cp, script, dest] = list(init!.command, 'command').map(String);
    expect(cp).toBe('cp');
    expect(script).toBe('/app/deploy/temporal/register-search-attributes.sh');
    const dockerfile = readRepoFile('Dockerfile');
    expect(dockerfile).toContain('COPY deploy/temporal/register-search-attributes.sh ./deploy/temporal/');
    expect(readRepoFile('.dockerignore')).toContain('!deploy/temporal/register-search-attributes.sh');
    expect(String(register!.image)).toMatch(/^temporalio\/admin-tools:/);
    expect(list(register!.command, 'command')).toEqual(['/bin/sh', `${dest}register-search-attributes.sh`]);
    expect(envFromConfigMaps(register!)).toEqual(['safedeploy-config']);
    expect(spec.restartPolicy).toBe('OnFailure');
    expect(record(spec.securityContext, 'securityContext')).toMatchObject({ runAsNonRoot: true });
  });

  test.each(DEPLOYMENTS)(
    'the %s mounts only declared volumes, whose ConfigMaps and claims exist',
    (_, deployment) => {
      const declared = volumes(deployment()).map((v) => String(v.name));
      for (const container of containers(deployment())) {
        for (const mount of volumeMounts(container)) expect(declared).toContain(mount.name);
        for (const configMap of envFromConfigMaps(container))
          expect(() => find('ConfigMap', configMap)).not.toThrow();
      }
      for (const volume of volumes(deployment())) {
        if (volume.configMap !== undefined)
          expect(() => find('ConfigMap', String(at(volume, 'configMap', 'name')))).not.toThrow();
        if (volume.persistentVolumeClaim !== undefined) {
          expect(() =>
            find('PersistentVolumeClaim', String(at(volume, 'persistentVolumeClaim', 'claimName'))),
          ).not.toThrow();
        }
      }
    },
  );

  test.each(DEPLOYMENTS)(
    'the %s keeps the image entrypoint and runs a safedeploy command',
    (_, deployment) => {
      const commands = cliCommands();
      for (const container of containers(deployment())) {
        expect(container.command).toBeUndefined();
        const [command] = list(container.args, 'args').map(String);
        expect(commands).toContain(command);
      }
    },
  );

  test.each(DEPLOYMENTS)(
    'the %s mounts the catalog ConfigMap read-only where SAFEDEPLOY_CATALOG points',
    (_, deployment) => {
      const [container] = containers(deployment());
      const catalogDir = environmentValue(container!, 'SAFEDEPLOY_CATALOG') ?? '';
      const holder = volumeHolding(deployment(), container!, catalogDir);
      expect(holder?.mount).toEqual({ name: holder?.mount.name, mountPath: catalogDir, readOnly: true });
      expect(holder?.volume.configMap).toEqual({ name: 'safedeploy-catalog' });
    },
  );

  test('the worker verifies human actions against the allowed-signers ConfigMap it mounts, in git’s format', () => {
    const worker = find('Deployment', 'safedeploy-worker');
    const [container] = containers(worker);
    const file = environmentValue(container!, 'SAFEDEPLOY_ALLOWED_SIGNERS') ?? '';
    const held = volumeHolding(worker, container!, file);
    expect(held?.mount.readOnly).toBe(true);
    expect(held?.volume.configMap).toEqual({ name: 'safedeploy-allowed-signers' });
    const data = record(find('ConfigMap', 'safedeploy-allowed-signers').data, 'data');
    const key = path.relative(held?.mount.mountPath ?? '', file);
    expect(Object.keys(data)).toEqual([key]);
    // Shipped without keys: it parses, and every action stays refused until approvers' keys are added.
    expect(parseAllowedSigners(String(data[key]), key)).toEqual([]);
  });

  test('the catalog ConfigMap holds examples/catalog file for file', () => {
    const data = record(find('ConfigMap', 'safedeploy-catalog').data, 'data');
    expect(Object.keys(data).sort()).toEqual(EXAMPLE_CATALOG);
    for (const file of EXAMPLE_CATALOG) expect(data[file]).toBe(readRepoFile(`examples/catalog/${file}`));
  });

  test('the catalog ConfigMap, laid out as the kubelet mounts it, loads as the example catalog', async () => {
    // The kubelet mounts a ConfigMap as symlinks: <key> -> ..data/<key>, ..data -> ..<timestamp>/.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-configmap-'));
    try {
      const data = record(find('ConfigMap', 'safedeploy-catalog').data, 'data');
      await mkdir(path.join(dir, '..2026_01_01_00_00_00.000000001'));
      for (const [key, text] of Object.entries(data)) {
        await writeFile(path.join(dir, '..2026_01_01_00_00_00.000000001', key), String(text));
      }
      await symlink('..2026_01_01_00_00_00.000000001', path.join(dir, '..data'));
      for (const key of Object.keys(data)) await symlink(path.join('..data', key), path.join(dir, key));
      const mounted = await loadCatalog(dir);
      const example = await loadCatalog(repoPath('examples/catalog'));
      expect(mounted.services.map((s) => s.name)).toEqual(example.services.map((s) => s.name));
      expect(mounted.services.length).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the gate AnalysisTemplate, on the application side, calls the API Service with the bearer token', () => {
    const template = record(
      yamlDocument('examples/env-repo/apps/checkout/analysis-template.yaml'),
      'template',
    );
    const service = find('Service', 'safedeploy-api');
    const [port] = list(at(service, 'spec', 'ports'), 'ports').map((p) => record(p, 'port'));
    const [metric] = list(at(template, 'spec', 'metrics'), 'metrics').map((m) => record(m, 'metric'));
    const web = record(at(metric, 'provider', 'web'), 'web');
    const url = new URL(String(web.url).replace(/\{\{args\.([\w-]+)\}\}/g, '$1'));
    expect(url.host).toBe(
      `${String(at(service, 'metadata', 'name'))}.${NAMESPACE}.svc:${String(port?.port)}`,
    );
    expect(url.pathname).toBe('/v1/gate');
    expect(Object.fromEntries(url.searchParams)).toEqual({ service: 'service', revision: 'revision' });
    expect(web.headers).toEqual([{ key: 'Authorization', value: 'Bearer {{args.safedeploy-token}}' }]);
  });
});
