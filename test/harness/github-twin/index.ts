// A local stand-in for GitHub's REST API over one repository, for tests that cannot reach GitHub. It serves
// exactly the operations SafeDeploy's GitHub provider calls, validates every request and every successful
// response against GitHub's published OpenAPI description (test/fixtures/github-openapi), and records
// mismatches in `violations` (tests assert it stays empty). Faults and human actions (merge, close) are
// test hooks.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TwinCredentials, type TwinApp } from './credentials';
import { FaultPlan } from './faults';
import { GitStore } from './git-store';
import { loadDescription } from './description';
import { buildRoutes, type Route } from './routes';
import { OpenApiValidator } from './validator';
import { closePull, mergePull } from './pull-handlers';
import type { TwinPullRequest } from './pull-shapes';
import { serve, type Dispatcher, type RecordedRequest, type TwinViolation } from './server';
import { commitOnBranch, type TwinState } from './state';

export type { TwinApp } from './credentials';
export type { RecordedRequest, TwinViolation } from './server';
export type { TwinPullRequest } from './pull-shapes';

export interface GitHubTwinOptions {
  owner: string;
  repo: string;
  /** Default: main. */
  defaultBranch?: string;
  /** Contents of the first commit on the default branch. */
  files: Record<string, string>;
  /** API path prefix, e.g. /api/v3 to stand in for GitHub Enterprise Server. Default: none (github.com). */
  pathPrefix?: string;
  /** Token accepted on every endpoint. */
  token?: string;
  /** A GitHub App whose JWTs the token exchange accepts. */
  app?: TwinApp;
}

/** Compiled once per process: compiling GitHub's pull-request schemas takes about a second. */
let description: { routes: Route[]; validator: OpenApiValidator } | undefined;

function sharedDescription(): { routes: Route[]; validator: OpenApiValidator } {
  if (description === undefined) {
    const document = loadDescription();
    description = { routes: buildRoutes(document), validator: new OpenApiValidator(document) };
  }
  return description;
}

export class GitHubTwin {
  readonly faults: FaultPlan;
  private constructor(
    private readonly server: Server,
    private readonly dispatcher: Dispatcher,
  ) {
    this.faults = dispatcher.state.faults;
  }

  static async start(options: GitHubTwinOptions): Promise<GitHubTwin> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const web = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const pathPrefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
    const defaultBranch = options.defaultBranch ?? 'main';
    const state: TwinState = {
      store: new GitStore(),
      pulls: [],
      urls: { api: `${web}${pathPrefix}`, web, owner: options.owner, repo: options.repo },
      defaultBranch,
      faults: new FaultPlan(),
      credentials: new TwinCredentials(options.token, options.app),
    };
    commitOnBranch(state, defaultBranch, options.files, { message: 'Initial commit' });
    const dispatcher: Dispatcher = {
      state,
      ...sharedDescription(),
      pathPrefix,
      violations: [],
      requests: [],
    };
    server.on('request', (request, response) => void serve(dispatcher, request, response));
    return new GitHubTwin(server, dispatcher);
  }

  /** The API root to give Octokit as baseUrl. */
  get url(): string {
    return this.dispatcher.state.urls.api;
  }

  get violations(): readonly TwinViolation[] {
    return this.dispatcher.violations;
  }

  get requests(): readonly RecordedRequest[] {
    return this.dispatcher.requests;
  }

  /** Requests answered for one operation, e.g. calls('pulls/create'). */
  calls(operationId: string): RecordedRequest[] {
    return this.dispatcher.requests.filter((request) => request.operationId === operationId);
  }

  /** Installation tokens the exchange issued. */
  get issuedTokens(): string[] {
    return [...this.dispatcher.state.credentials.issued.keys()];
  }

  branchHead(branch: string): string | undefined {
    return this.dispatcher.state.store.ref(`heads/${branch}`);
  }

  /** File contents at a branch or commit. */
  readFile(ref: string, path: string): string | undefined {
    const { store } = this.dispatcher.state;
    const commit = store.resolve(ref);
    const blob = commit === undefined ? undefined : store.fileAt(commit, path);
    return blob === undefined ? undefined : store.blob(blob);
  }

  commit(sha: string): { parents: string[]; message: string; date: string } | undefined {
    const commit = this.dispatcher.state.store.commit(sha);
    return commit && { parents: commit.parents, message: commit.message, date: commit.committer.date };
  }

  pullRequests(): TwinPullRequest[] {
    return this.dispatcher.state.pulls.map((pull) => ({ ...pull }));
  }

  /** Creates `branch` pointing where `from` points, as a run that died right after creating it would. */
  createBranch(branch: string, from = this.dispatcher.state.defaultBranch): string {
    const { store } = this.dispatcher.state;
    const sha = store.ref(`heads/${from}`);
    if (sha === undefined) throw new Error(`twin: no branch ${from}`);
    store.setRef(`heads/${branch}`, sha);
    return sha;
  }

  /** Pushes a commit with `files` to `branch` (a human, CI or an earlier run). */
  push(
    branch: string,
    files: Record<string, string>,
    options: { message?: string; date?: Date } = {},
  ): string {
    return commitOnBranch(this.dispatcher.state, branch, files, options);
  }

  /** Merges an open pull request with a merge commit; returns the merge commit sha. */
  mergePullRequest(number: number): string {
    return mergePull(this.dispatcher.state, number);
  }

  closePullRequest(number: number): void {
    closePull(this.dispatcher.state, number);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }
}
