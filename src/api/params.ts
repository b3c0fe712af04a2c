// Query parameters of every route, validated before any dependency is asked. Unknown parameters are
// refused: a typo such as `servce=` must not silently widen a listing.
import { z } from 'zod';
import { ApiError } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PRINTABLE = /^[\x20-\x7e]+$/;

const serviceName = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(DNS_LABEL, 'must be a lowercase DNS label (a-z, 0-9 and "-", starting and ending alphanumeric)');

/** An empty revision (an unset Argo Rollouts argument) counts as absent. */
const revision = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .string()
    .max(200, 'must be at most 200 characters')
    .regex(PRINTABLE, 'must be printable ASCII')
    .optional(),
);

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

const limit = z
  .string()
  .regex(/^[0-9]{1,4}$/, 'must be a whole number from 1 to 1000')
  .transform(Number)
  .refine((n) => n >= 1 && n <= 1000, 'must be a whole number from 1 to 1000');

export const gateQuery = z.strictObject({ service: serviceName, revision });
export const incidentsQuery = z.strictObject({
  service: serviceName.optional(),
  all: flag.optional(),
  limit: limit.optional(),
});
export const servicesQuery = z.strictObject({});
export const proposalsQuery = z.strictObject({ service: serviceName.optional() });

/** Parses `query` or throws a 400 naming the first bad parameter. */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  throw new ApiError(400, describeIssue(parsed.error.issues[0], query));
}

function describeIssue(issue: z.core.$ZodIssue | undefined, query: unknown): string {
  if (!issue) return 'invalid query parameters';
  if (issue.code === 'unrecognized_keys') return `unknown query parameter "${issue.keys[0] ?? ''}"`;
  const name = String(issue.path[0] ?? '');
  const given = (query as Record<string, unknown> | null)?.[name];
  if (given === undefined) return `missing query parameter "${name}"`;
  if (Array.isArray(given)) return `query parameter "${name}" is given more than once`;
  return `invalid query parameter "${name}": ${issue.message}`;
}
