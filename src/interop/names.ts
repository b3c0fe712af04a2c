// Foreign names become catalog names: a lowercase DNS label (what safedeploy/v1 requires for services
// and SLOs). Renaming is lossless for meaning, so it is a note in the report, never a drop.

const MAX_LABEL = 63;

/** `Requests_Availability` → `requests-availability`; undefined when nothing usable is left. */
export function toDnsLabel(name: string): string | undefined {
  const label = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, MAX_LABEL)
    .replace(/^-+|-+$/g, '');
  return label === '' ? undefined : label;
}

/** The label for `name`, and a note when it had to change. */
export function catalogName(name: string, what: string): { name?: string; note?: string } {
  const label = toDnsLabel(name);
  if (label === undefined) return {};
  return label === name ? { name } : { name: label, note: `${what} "${name}" renamed to "${label}"` };
}
