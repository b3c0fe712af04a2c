// Where the tour finds the stack: flags, then the environment, then the running stack's stack.json in
// the data folder, then the stack's default addresses. The service's approver, environment repository
// and manifest come from the stack's catalog.
import path from 'node:path';
import { loadCatalog } from '../../catalog/loader';
import type { Service } from '../../catalog/model';
import { demoKeyFile } from '../../stack/demo-keys';
import { dataLayout } from '../../stack/layout';
import { DEFAULT_PORTS } from '../../stack/ports';
import { readStackFile, type StackAddresses } from '../../stack/state';
import { errorMessage } from '../../errors';

export interface DemoFlags {
  dataDir: string;
  address?: string;
  namespace?: string;
  prometheus?: string;
  demoService?: string;
  webUi?: string;
  catalog?: string;
  service: string;
  errorRate: number;
  nonInteractive?: boolean;
}

export interface DemoContext {
  temporalAddress: string;
  namespace: string;
  prometheusUrl: string;
  demoServiceUrl: string;
  webUiUrl: string;
  dataDir: string;
  catalogDir: string;
  service: Service;
  approver: string;
  /** The approver's demo signing key (safedeploy start writes it under the data folder). */
  approverKey: string;
  envRepoUrl: string;
  manifest: string;
  errorRate: number;
}

const env = (name: string): string | undefined => process.env[name] || undefined;

export async function resolveDemoContext(flags: DemoFlags): Promise<DemoContext> {
  const layout = dataLayout(flags.dataDir);
  const stack: Partial<StackAddresses> = (await readStackFile(layout.stackFile)) ?? {};
  const catalogDir = path.resolve(
    flags.catalog ?? env('SAFEDEPLOY_CATALOG') ?? stack.catalogDir ?? layout.catalogDir,
  );
  const service = await serviceFrom(catalogDir, flags.service);
  const repo = service.rollback?.repo;
  if (!repo || repo.provider !== 'git' || !service.rollback) {
    throw new Error(
      `${flags.service} in ${catalogDir} needs a rollback repository with provider "git" for the demo`,
    );
  }
  const approver = service.approvers[0];
  if (approver === undefined) throw new Error(`${flags.service} in ${catalogDir} lists no approvers`);
  return {
    temporalAddress:
      flags.address ??
      env('TEMPORAL_ADDRESS') ??
      stack.temporalAddress ??
      `127.0.0.1:${DEFAULT_PORTS.temporal}`,
    namespace: flags.namespace ?? env('TEMPORAL_NAMESPACE') ?? stack.namespace ?? 'default',
    prometheusUrl:
      flags.prometheus ??
      env('PROMETHEUS_URL') ??
      stack.prometheusUrl ??
      `http://127.0.0.1:${DEFAULT_PORTS.prometheus}`,
    demoServiceUrl: flags.demoService ?? stack.demoServiceUrl ?? `http://127.0.0.1:${DEFAULT_PORTS.demo}`,
    webUiUrl: flags.webUi ?? stack.webUiUrl ?? `http://127.0.0.1:${DEFAULT_PORTS.webUi}`,
    dataDir: layout.root,
    catalogDir,
    service,
    approver,
    approverKey: demoKeyFile(layout.keysDir, approver),
    envRepoUrl: repo.url,
    manifest: service.rollback.manifest,
    errorRate: flags.errorRate,
  };
}

async function serviceFrom(catalogDir: string, name: string): Promise<Service> {
  const catalog = await loadCatalog(catalogDir).catch((err: unknown) => {
    const why = errorMessage(err);
    throw new Error(
      `cannot load the catalog ${catalogDir} (is the stack running? start it with npm start): ${why}`,
    );
  });
  const service = catalog.services.find((s) => s.name === name);
  if (!service) throw new Error(`no service "${name}" in the catalog ${catalogDir}`);
  return service;
}

/** The Web UI page of a workflow (its latest run). */
export function workflowLink(ctx: DemoContext, workflowId: string): string {
  return `${ctx.webUiUrl}/namespaces/${ctx.namespace}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The Web UI's workflow list filtered by a visibility query. */
export function workflowListLink(ctx: DemoContext, query: string): string {
  return `${ctx.webUiUrl}/namespaces/${ctx.namespace}/workflows?query=${encodeURIComponent(query)}`;
}
