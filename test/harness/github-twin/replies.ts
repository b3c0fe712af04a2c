// What a twin handler answers, and GitHub's error bodies.

export interface TwinReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const DOCS = 'https://docs.github.com/rest';

/** Thrown by handlers for a GitHub-style error response (not validated: only successes are). */
export class GitHubHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: {
      errors?: { resource: string; code: string; field?: string; message?: string }[];
      documentationUrl?: string;
    } = {},
  ) {
    super(message);
  }

  reply(): TwinReply {
    return {
      status: this.status,
      body: {
        message: this.message,
        ...(this.details.errors !== undefined ? { errors: this.details.errors } : {}),
        documentation_url: this.details.documentationUrl ?? DOCS,
        status: String(this.status),
      },
    };
  }
}

export function notFound(): GitHubHttpError {
  return new GitHubHttpError(404, 'Not Found');
}

export function unprocessable(message: string): GitHubHttpError {
  return new GitHubHttpError(422, message);
}

/** A 422 whose detail is in `errors`, as pulls.create answers. */
export function validationFailed(resource: string, message: string, field?: string): GitHubHttpError {
  return new GitHubHttpError(422, 'Validation Failed', {
    errors: [
      {
        resource,
        code: field === undefined ? 'custom' : 'invalid',
        ...(field !== undefined ? { field } : {}),
        message,
      },
    ],
  });
}
