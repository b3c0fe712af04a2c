import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { activityFailureText, errorCode, errorFirstLine, errorMessage } from '../../src/errors';

describe('error text (src/errors.ts)', () => {
  it("is an Error's message, or the thrown value as text", () => {
    expect(errorMessage(new Error('no route to host'))).toBe('no route to host');
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });

  it('keeps only the first line when asked (gRPC and YAML errors span several)', () => {
    expect(errorFirstLine(new Error('14 UNAVAILABLE: connect failed\n  at …'))).toBe(
      '14 UNAVAILABLE: connect failed',
    );
    expect(errorFirstLine('')).toBe('');
  });

  it("prefers Node's error code, which is what a person can act on for files and sockets", () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x'"), {
      code: 'ENOENT',
    });
    expect(errorCode(enoent)).toBe('ENOENT');
    expect(errorCode(new Error('bad key'))).toBe('bad key');
    expect(errorCode({ code: 7 })).toBe('[object Object]');
    expect(errorCode(null)).toBe('null');
  });

  it('names an activity failure by its type and cause', () => {
    const failed = (cause?: Error) =>
      new ActivityFailure(
        'Activity task failed',
        'measureFleet',
        '1',
        RetryState.NON_RETRYABLE_FAILURE,
        undefined,
        cause,
      );
    expect(
      activityFailureText(failed(ApplicationFailure.nonRetryable('checkout.yaml: bad', 'CatalogError'))),
    ).toBe('CatalogError: checkout.yaml: bad');
    expect(activityFailureText(failed(ApplicationFailure.create({ message: 'untyped' })))).toBe('untyped');
    expect(activityFailureText(failed())).toBe('Activity task failed');
  });
});
