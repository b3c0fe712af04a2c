// What `safedeploy start` prints once the stack is ready: where everything is and what to try next.
import path from 'node:path';
import type { StackAddresses } from './state';

export const READY_LINE = 'SafeDeploy local stack is ready';

export function readyBanner(a: StackAddresses, service: string): string {
  // Relative inside the working directory (short commands to copy), absolute elsewhere.
  const rel = (p: string) => {
    const relative = path.relative(process.cwd(), p);
    return relative === '' ? '.' : relative.startsWith('..') ? p : relative;
  };
  const cli = 'node bin/safedeploy.js';
  const uiList = a.webUiUrl ? `${a.webUiUrl}/namespaces/${a.namespace}/workflows` : undefined;
  const token = a.apiTokenFile ? `$(cat ${rel(a.apiTokenFile)})` : '$SAFEDEPLOY_API_TOKEN';
  const lines = [
    '',
    `${READY_LINE} (data in ${rel(a.dataDir)}; Ctrl-C stops everything)`,
    '',
    `  Temporal Web UI   ${uiList ?? '(not started: external Temporal)'}`,
    `  Temporal          ${a.temporalAddress} (namespace ${a.namespace})`,
    `  Prometheus        ${a.prometheusUrl}`,
    `  SafeDeploy API    ${a.apiUrl ?? '(not started)'}${a.apiTokenFile ? `  (bearer token in ${rel(a.apiTokenFile)})` : ''}`,
    `  demo service      ${a.demoServiceUrl}  (${service}: /metrics, POST /admin/faults)`,
    `  env repository    ${a.envRepoUrl}`,
    `  catalog           ${rel(a.catalogDir)}`,
    '',
    'In another terminal:',
    `  export TEMPORAL_ADDRESS=${a.temporalAddress} PROMETHEUS_URL=${a.prometheusUrl} SAFEDEPLOY_CATALOG=${rel(a.catalogDir)} SAFEDEPLOY_DATA_DIR=${rel(a.dataDir)}`,
    `  ${cli} demo                          # guided tour: errors → incident → approved rollback → postmortem`,
    `  curl -X POST ${a.demoServiceUrl}/admin/faults -d '{"errorRate":0.5}'   # or break ${service} yourself`,
    `  ${cli} evaluate                      # burn rates and budgets now`,
    `  ${cli} incident list                 # open incidents (also in the Web UI)`,
    `  ${cli} proposal approve ${service} --by alice --key ${rel(path.join(a.dataDir, 'keys', 'alice'))} --reason "roll back"   # signed with alice's demo key`,
    `  ${cli} audit verify`,
    `  curl -H "Authorization: Bearer ${token}" "${a.apiUrl ?? 'http://127.0.0.1:8080'}/v1/gate?service=${service}"`,
    '',
  ];
  return lines.join('\n');
}
