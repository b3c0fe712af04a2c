// Every workflow the SafeDeploy worker registers.
export { incidentWorkflow } from './incident';
export { postmortemWorkflow } from './postmortem';
export { freezeWorkflow } from './freeze';
export { fleetEvaluationWorkflow } from './fleet-evaluation';
export { notificationWorkflow } from './notification';
