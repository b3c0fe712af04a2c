// The twin's HTTP front: routes a request to its operation in GitHub's OpenAPI description, validates the
// request, checks credentials, plays scheduled faults, runs the handler and validates a successful
// response. Anything that does not match the description is answered 500 and recorded as a violation.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createInstallationToken, createPull, listPulls } from './pull-handlers';
import * as git from './git-handlers';
import { matchRoute, type Route } from './routes';
import type { OpenApiValidator } from './validator';
import { GitHubHttpError, notFound, type TwinReply } from './replies';
import type { Handler, TwinState } from './state';

const HANDLERS: Record<string, Handler> = {
  'apps/create-installation-access-token': createInstallationToken,
  'git/create-blob': git.createBlob,
  'git/create-commit': git.createCommit,
  'git/create-ref': git.createRef,
  'git/create-tree': git.createTree,
  'git/get-commit': git.getCommit,
  'git/get-ref': git.getRef,
  'git/update-ref': git.updateRef,
  'pulls/create': createPull,
  'pulls/list': listPulls,
  'repos/get-content': git.getContent,
  'repos/list-commits': git.listCommits,
};

/** Operation ids the twin implements: those in the OpenAPI extract (a test keeps the two lists equal). */
export const SERVED_OPERATIONS: readonly string[] = Object.keys(HANDLERS);

/** The token exchange authenticates with the App's JWT, which its handler verifies. */
const APP_AUTHENTICATED = new Set(['apps/create-installation-access-token']);

export interface TwinViolation {
  method: string;
  path: string;
  operationId: string | undefined;
  stage: 'route' | 'request' | 'response' | 'handler';
  problems: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  operationId: string | undefined;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

export interface Dispatcher {
  state: TwinState;
  routes: Route[];
  validator: OpenApiValidator;
  pathPrefix: string;
  violations: TwinViolation[];
  requests: RecordedRequest[];
}

export async function serve(
  dispatcher: Dispatcher,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', dispatcher.state.urls.web);
  const method = request.method ?? 'GET';
  const raw = await readBody(request);
  const recorded: RecordedRequest = {
    method,
    path: url.pathname,
    operationId: undefined,
    query: Object.fromEntries(url.searchParams),
    body: undefined,
    status: 0,
  };
  const reply = dispatch(
    dispatcher,
    { method, url, raw, authorization: request.headers.authorization },
    recorded,
  );
  recorded.status = reply.status;
  dispatcher.requests.push(recorded);
  const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    ...defaultHeaders(),
    ...(body !== '' ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    ...reply.headers,
  });
  response.end(body);
}

interface Incoming {
  method: string;
  url: URL;
  raw: string;
  authorization: string | undefined;
}

function dispatch(dispatcher: Dispatcher, incoming: Incoming, recorded: RecordedRequest): TwinReply {
  const { method, url } = incoming;
  const violation = (stage: TwinViolation['stage'], problems: string[], operationId?: string): TwinReply => {
    dispatcher.violations.push({ method, path: url.pathname, operationId, stage, problems });
    return {
      status: 500,
      body: { message: `GitHub twin: ${stage} violates GitHub's OpenAPI description`, errors: problems },
    };
  };
  const path = url.pathname.startsWith(`${dispatcher.pathPrefix}/`)
    ? url.pathname.slice(dispatcher.pathPrefix.length)
    : undefined;
  const match = path === undefined ? undefined : matchRoute(dispatcher.routes, method, path);
  const handler = match && HANDLERS[match.route.operation.operationId];
  if (match === undefined || handler === undefined)
    return violation('route', [`no operation served for ${method} ${url.pathname}`]);
  const operation = match.route.operation;
  recorded.operationId = operation.operationId;
  let body: unknown;
  try {
    body = incoming.raw === '' ? undefined : JSON.parse(incoming.raw);
  } catch {
    return violation('request', ['body is not JSON'], operation.operationId);
  }
  recorded.body = body;
  const query = Object.fromEntries(url.searchParams);
  const requestProblems = dispatcher.validator.validateRequest(operation, match.params, query, body);
  if (requestProblems.length > 0) return violation('request', requestProblems, operation.operationId);
  let reply: TwinReply;
  try {
    if (!APP_AUTHENTICATED.has(operation.operationId))
      dispatcher.state.credentials.requireToken(incoming.authorization);
    if (!isServedRepository(dispatcher.state, match.params)) throw notFound();
    const fault = dispatcher.state.faults.take(operation.operationId);
    if (fault !== undefined) return fault;
    reply = handler(dispatcher.state, {
      params: match.params,
      query,
      body,
      authorization: incoming.authorization,
      url,
    });
  } catch (error) {
    if (error instanceof GitHubHttpError) return error.reply();
    return violation(
      'handler',
      [error instanceof Error ? error.message : String(error)],
      operation.operationId,
    );
  }
  if (reply.status >= 200 && reply.status < 300) {
    const responseProblems = dispatcher.validator.validateResponse(operation, reply.status, reply.body);
    if (responseProblems.length > 0) return violation('response', responseProblems, operation.operationId);
  }
  return reply;
}

/** The twin holds one repository; like GitHub, it answers 404 for any other. */
function isServedRepository(state: TwinState, params: Record<string, string>): boolean {
  const { owner, repo } = params;
  return (
    (owner === undefined || owner === state.urls.owner) && (repo === undefined || repo === state.urls.repo)
  );
}

function defaultHeaders(): Record<string, string> {
  return {
    'x-github-api-version-selected': '2022-11-28',
    'x-github-request-id': `TWIN:${process.hrtime.bigint().toString(16)}`,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-used': '1',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
