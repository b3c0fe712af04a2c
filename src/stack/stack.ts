// `safedeploy start`: a complete local SafeDeploy on 127.0.0.1 — the Temporal dev server with its Web
// UI, the demo service, Prometheus scraping it, the environment repository, the worker and the API —
// with its state in one data folder, so incidents, proposals and the audit chain survive a restart.
import { mkdir } from 'node:fs/promises';
import { ensurePrometheus } from '../tools/prometheus-bin';
import { ensureTemporalCli } from '../tools/temporal-cli';
import { startTemporalDevServer } from '../servers/temporal-dev-server';
import { startDemoService } from '../demo-service/service';
import { writeStackCatalog } from './catalog';
import { ensureDemoKeys } from './demo-keys';
import { startApiChild, startWorkerChild, type ChildCommon, type DemoTimings } from './children';
import { ensureEnvRepo } from './env-repo';
import { waitForFirstEvaluation, watchChildren, type WatchedChild } from './readiness';
import { dataLayout, type DataLayout } from './layout';
import { choosePorts, type PortName, type RequestedPorts } from './ports';
import { startStackPrometheus } from './prometheus';
import {
  assertNotRunning,
  ensureApiToken,
  removeStackFile,
  writeStackFile,
  type StackAddresses,
} from './state';
import { ensureSearchAttributes } from './search-attributes';
import { Teardown } from './teardown';

export interface StackConfig {
  dataDir: string;
  ports: RequestedPorts;
  /** Catalog copied into the data folder (default examples/local). */
  catalogSource: string;
  /** The demo service's `service` label and synthetic rate. */
  service: string;
  rps: number;
  timings: DemoTimings;
  namespace: string;
  /** Use these instead of starting our own (TEMPORAL_ADDRESS, PROMETHEUS_URL). */
  externalTemporal?: string;
  externalPrometheus?: string;
  log: (line: string) => void;
  /** Called when the worker or the API exits on its own after the start. */
  onChildExit: (name: string, reason: string, output: string) => void;
}

export class LocalStack {
  private readonly teardown: Teardown;

  constructor(private readonly config: StackConfig) {
    this.teardown = new Teardown(config.log);
  }

  stop(): Promise<void> {
    return this.teardown.run();
  }

  async start(): Promise<StackAddresses> {
    const { config } = this;
    const layout = dataLayout(config.dataDir);
    await mkdir(layout.root, { recursive: true });
    await assertNotRunning(layout);
    const temporalCli = await this.ensureTools();
    const ports = await choosePorts(config.ports, this.ownPorts(), config.log);
    const envRepoUrl = await ensureEnvRepo(layout.envRepo, config.log);
    await writeStackCatalog(config.catalogSource, layout.catalogDir, envRepoUrl);
    const demo = await startDemoService({
      host: '127.0.0.1',
      port: ports.demo,
      service: config.service,
      rps: config.rps,
    });
    await this.teardown.add('demo service', () => demo.close());
    config.log(`demo service ${config.service} at ${demo.url} (${config.rps} requests/s)`);
    const temporal = await this.startTemporal(layout, ports, temporalCli);
    const prometheusUrl = await this.startPrometheus(layout, ports.prometheus, demo.target);
    const common: ChildCommon = {
      catalogDir: layout.catalogDir,
      prometheusUrl,
      temporalAddress: temporal.address,
      namespace: config.namespace,
    };
    await this.startSafeDeploy(common, layout, ports.api);
    const addresses: StackAddresses = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      ...common,
      ...(temporal.uiUrl ? { webUiUrl: temporal.uiUrl } : {}),
      apiUrl: `http://127.0.0.1:${ports.api}`,
      apiTokenFile: layout.apiTokenFile,
      demoServiceUrl: demo.url,
      envRepoUrl,
      dataDir: layout.root,
    };
    await writeStackFile(layout, addresses);
    await this.teardown.add('stack file', () => removeStackFile(layout));
    return addresses;
  }

  /** The API and the worker; ready once the worker has evaluated the demo service. */
  private async startSafeDeploy(common: ChildCommon, layout: DataLayout, apiPort: number): Promise<void> {
    const { config } = this;
    await ensureApiToken(layout);
    const api = await startApiChild(common, apiPort, layout.apiTokenFile, layout.root);
    await this.teardown.add('SafeDeploy API', () => api.stop(10_000));
    const keys = await ensureDemoKeys(layout.keysDir, layout.catalogDir);
    config.log(`demo signing keys of ${Object.keys(keys.keys).join(', ')} in ${keys.dir}`);
    const worker = startWorkerChild(common, layout.root, config.timings, keys.allowedSigners);
    await this.teardown.add('SafeDeploy worker', () => worker.stop(15_000));
    const severity = await waitForFirstEvaluation(common, config.service, worker);
    config.log(`worker running; the fleet evaluation sees ${config.service} ${severity}`);
    const children: WatchedChild[] = [
      { name: 'SafeDeploy worker', process: worker },
      { name: 'SafeDeploy API', process: api },
    ];
    const unwatch = watchChildren(children, config.onChildExit);
    await this.teardown.add('child watch', () => Promise.resolve(unwatch()));
  }

  private ownPorts(): PortName[] {
    const names: PortName[] = ['api', 'demo'];
    if (!this.config.externalTemporal) names.push('temporal', 'webUi');
    if (!this.config.externalPrometheus) names.push('prometheus');
    return names;
  }

  /** Found, fetched or built once per machine (a Temporal CLI build takes minutes; progress is printed). */
  private async ensureTools(): Promise<string | undefined> {
    const log = (line: string) => this.config.log(`tools: ${line}`);
    if (!this.config.externalPrometheus) log(`prometheus ${(await ensurePrometheus({ log })).prometheus}`);
    if (this.config.externalTemporal) return undefined;
    const temporal = await ensureTemporalCli({ log });
    log(`temporal ${temporal}`);
    return temporal;
  }

  private async startTemporal(layout: DataLayout, ports: Record<PortName, number>, temporalCli?: string) {
    const { config } = this;
    if (config.externalTemporal) {
      config.log(`using Temporal at ${config.externalTemporal} (TEMPORAL_ADDRESS); no Web UI started`);
      await ensureSearchAttributes(config.externalTemporal, config.namespace, config.log);
      return { address: config.externalTemporal, uiUrl: undefined };
    }
    const server = await startTemporalDevServer({
      dbFile: layout.temporalDb,
      port: ports.temporal,
      uiPort: ports.webUi,
      headless: false,
      ...(temporalCli ? { temporalCli } : {}),
      ...(config.namespace !== 'default' ? { namespace: config.namespace } : {}),
      log: config.log,
    });
    await this.teardown.add('Temporal dev server', () => server.stop());
    return server;
  }

  private async startPrometheus(layout: DataLayout, port: number, demoTarget: string): Promise<string> {
    const { config } = this;
    if (config.externalPrometheus) {
      config.log(
        `using Prometheus at ${config.externalPrometheus} (PROMETHEUS_URL): it must scrape ${demoTarget}`,
      );
      return config.externalPrometheus;
    }
    const server = await startStackPrometheus({
      dir: layout.prometheusDir,
      historyFile: layout.historyFile,
      port,
      demoTarget,
      service: config.service,
      rps: config.rps,
      log: config.log,
    });
    await this.teardown.add('Prometheus', () => server.stop());
    return server.url;
  }
}
