// An activity's failure as the workflow receives it: encoded by the worker, decoded in the workflow
// (the SDK's default failure converter, the same both sides use), it keeps its type, its message and
// the original error as its cause.
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { ApplicationFailure, DefaultFailureConverter, defaultPayloadConverter } from '@temporalio/common';
import { nonRetryableFailure } from '../../../activities/failures';
import type { ActivityDeps } from '../../../activities/index';
import { createChangeActivities, type OpenChangeInput } from '../../../activities/changes';
import { DEFAULT_GOVERNANCE } from '../../../src/catalog/model';
import { CatalogError } from '../../../src/catalog/errors';
import { GitOpsInputError } from '../../../src/gitops/provider';

const converter = new DefaultFailureConverter();
/** Through the wire format and back, as Temporal carries it from the activity to the workflow. */
const asWorkflowSeesIt = (err: unknown) =>
  converter.failureToError(converter.errorToFailure(err, defaultPayloadConverter), defaultPayloadConverter);

describe('activity failures keep their type and cause', () => {
  it('bad input: typed by its class, not retried, the original error as cause', () => {
    const seen = asWorkflowSeesIt(
      nonRetryableFailure(new GitOpsInputError('manifest path escapes the repo')),
    );
    expect(seen).toBeInstanceOf(ApplicationFailure);
    const failure = seen as ApplicationFailure;
    expect(failure.type).toBe('GitOpsInputError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe('manifest path escapes the repo');
    expect(failure.cause).toBeInstanceOf(ApplicationFailure);
    expect((failure.cause as ApplicationFailure).type).toBe('GitOpsInputError');
    expect(failure.cause?.message).toBe('manifest path escapes the repo');
  });

  it('an explicit type and details for a catalog error', () => {
    const err = new CatalogError([{ file: 'checkout.yaml', reason: 'unknown field objectve' }]);
    const failure = asWorkflowSeesIt(
      nonRetryableFailure(err, undefined, [{ files: 1 }]),
    ) as ApplicationFailure;
    expect(failure.type).toBe('CatalogError');
    expect(failure.message).toBe(err.message);
    expect(failure.details).toEqual([{ files: 1 }]);
  });

  it('openProposalChange without a rollback repository fails as GitOpsInputError with its cause', async () => {
    const activities = createChangeActivities({ providers: {}, secrets: [] } as unknown as ActivityDeps);
    const input: OpenChangeInput = {
      proposal: {
        id: 'checkout-20260101t000000z/block-promotion',
        type: 'block-promotion',
        incidentId: 'checkout-20260101t000000z',
        service: 'checkout',
        state: 'approved',
        createdAt: '2026-01-01T00:00:00.000Z',
        expiresAt: '2026-01-01T04:00:00.000Z',
        rationale: 'burning',
        decisions: [],
      },
      context: { approvers: ['alice'], governance: DEFAULT_GOVERNANCE },
      body: {} as never,
    };
    // The failure is the expected outcome: keep the activity's failure log out of the test output.
    const attempt = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') }).run(
      (i: OpenChangeInput) => activities.openProposalChange(i),
      input,
    );
    const thrown = await attempt.then(
      () => undefined,
      (err: unknown) => err,
    );
    const failure = asWorkflowSeesIt(thrown) as ApplicationFailure;
    expect(failure.type).toBe('GitOpsInputError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe('the catalog defines no rollback repository or rollout');
    expect(failure.cause?.message).toBe('the catalog defines no rollback repository or rollout');
  });
});
