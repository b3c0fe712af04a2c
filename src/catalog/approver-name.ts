// Approver names are identifiers, compared byte for byte with the acting identity (--by, a signer's
// principal): no spaces, control characters or look-alike tricks that make two names read the same.

const APPROVER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._@+-]{0,126}[A-Za-z0-9])?$/;

export const APPROVER_NAME_RULE =
  'must be an identifier: letters, digits and . _ @ + - (e.g. alice or alice@example.com), starting and ending with a letter or digit, at most 128 characters';

export function isApproverName(name: string): boolean {
  return APPROVER_NAME.test(name);
}
