// SafeDeploy's activities: thin wrappers over src/ that do the I/O the workflows orchestrate.
// Built by createActivities(deps) so the worker and tests inject real local dependencies.
import type { Client } from '@temporalio/client';
import type { ProviderConfig } from '../src/gitops/factory';
import type { NotifyConfig } from '../src/notify/routes';
import type { PrometheusClient } from '../src/prometheus/client';
import { createAttributionActivities } from './attribution';
import type { SafeDeployStore } from '../src/store/store';
import { createChangeActivities } from './changes';
import { createDispatchActivities } from './dispatch';
import { createMeasureActivities } from './measure';
import { createNotifyActivities } from './notify';
import { createRecordActivities } from './record';
import { createVerifyActivities } from './verify';

export interface ActivityDeps {
  catalogDir: string;
  prometheus: PrometheusClient;
  temporal: Client;
  /** Evidence and audit: files or PostgreSQL (src/store/open.ts). */
  store: SafeDeployStore;
  providers: ProviderConfig;
  /** Credential values to redact from everything written. */
  secrets: string[];
  /** Notification routes (none: nothing is sent). */
  notify: NotifyConfig;
  /** git's allowed_signers file of the people who may sign human actions (SAFEDEPLOY_ALLOWED_SIGNERS). */
  allowedSignersFile?: string;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createMeasureActivities(deps),
    ...createDispatchActivities(deps),
    ...createChangeActivities(deps),
    ...createAttributionActivities(deps),
    ...createRecordActivities(deps),
    ...createNotifyActivities(deps),
    ...createVerifyActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
