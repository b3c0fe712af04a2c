import * as registered from '../../../workflows';
import { workflowIds, workflowTypeIn, WORKFLOW_TYPES } from '../../../workflows/messages';

describe('workflow names (workflows/messages.ts)', () => {
  it('names exactly the workflows the worker registers, under their function names', () => {
    const exported = Object.entries(registered)
      .filter(([, value]) => typeof value === 'function')
      .map(([name, fn]) => [name, (fn as () => unknown).name]);
    expect(exported.every(([name, fnName]) => name === fnName)).toBe(true);
    expect(Object.values(WORKFLOW_TYPES).sort()).toEqual(exported.map(([name]) => name).sort());
  });

  it('keeps the workflow ids recorded histories and running workflows already use', () => {
    expect(workflowIds.incident('checkout')).toBe('incident-checkout');
    expect(workflowIds.incidentOf('checkout', 'slo')).toBe('incident-checkout');
    expect(workflowIds.incidentOf('checkout', 'policy')).toBe('policy-incident-checkout');
    expect(workflowIds.postmortem('checkout-20260101t000000z')).toBe('postmortem-checkout-20260101t000000z');
    expect(workflowIds.freeze('checkout')).toBe('freeze-checkout');
    expect(workflowIds.fleetEvaluation).toBe('safedeploy-fleet-evaluation');
    expect(workflowIds.notificationBatch('e1')).toBe('notify-e1');
  });

  it('builds visibility queries from the type names', () => {
    expect(workflowTypeIn('incident', 'postmortem')).toBe(
      "WorkflowType IN ('incidentWorkflow', 'postmortemWorkflow')",
    );
  });
});
