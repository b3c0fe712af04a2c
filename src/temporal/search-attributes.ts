// The custom search attributes that make SafeDeploy workflows filterable in the Temporal Web UI and in
// visibility queries. Data only and free of Node built-ins: workflow code imports it to upsert typed values,
// the dev-server harness and deployment scripts register the same list.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

/** A typed key of any type (the SDK does not export its `SearchAttributeKey` from the package root). */
export type AnySearchAttributeKey = SearchAttributePair['key'];

export const SEARCH_ATTRIBUTE_NAMES = {
  service: 'SafeDeployService',
  incidentState: 'SafeDeployIncidentState',
  severity: 'SafeDeploySeverity',
  kind: 'SafeDeployKind',
} as const;

/** Values of `SafeDeployKind`: which kind of SafeDeploy workflow an execution is. */
export const WORKFLOW_KINDS = ['incident', 'freeze', 'evaluation'] as const;
export type WorkflowKind = (typeof WORKFLOW_KINDS)[number];

export const SafeDeployService = defineSearchAttributeKey(
  SEARCH_ATTRIBUTE_NAMES.service,
  SearchAttributeType.KEYWORD,
);
export const SafeDeployIncidentState = defineSearchAttributeKey(
  SEARCH_ATTRIBUTE_NAMES.incidentState,
  SearchAttributeType.KEYWORD,
);
export const SafeDeploySeverity = defineSearchAttributeKey(
  SEARCH_ATTRIBUTE_NAMES.severity,
  SearchAttributeType.KEYWORD,
);
export const SafeDeployKind = defineSearchAttributeKey(
  SEARCH_ATTRIBUTE_NAMES.kind,
  SearchAttributeType.KEYWORD,
);

/** Every attribute a namespace must have registered before SafeDeploy workflows start. */
export const SAFEDEPLOY_SEARCH_ATTRIBUTES: readonly AnySearchAttributeKey[] = [
  SafeDeployService,
  SafeDeployIncidentState,
  SafeDeploySeverity,
  SafeDeployKind,
];
