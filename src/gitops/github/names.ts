// Git ref and path rules (git check-ref-format, simplified) applied before anything is sent to GitHub.

export function isValidBranchName(name: string): boolean {
  return (
    name.length > 0 &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.') &&
    !name.endsWith('.lock') &&
    !name.startsWith('-') &&
    !name.includes('..') &&
    !name.includes('//') &&
    !name.includes('@{') &&
    !name.split('/').some((part) => part.startsWith('.')) &&
    // eslint-disable-next-line no-control-regex
    !/[\x00-\x20\x7f~^:?*[\\]/.test(name)
  );
}

/** A repository-relative file path: no leading slash, no empty, `.` or `..` segments, no backslashes. */
export function isValidFilePath(path: string): boolean {
  if (path === '' || path.includes('\\')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
