// The committed extract of GitHub's OpenAPI description (test/fixtures/github-openapi), typed as far as the
// twin reads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_PATH = join(__dirname, '../../fixtures/github-openapi/github-openapi.json');

export type Schema = { [keyword: string]: unknown };

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
  'x-multi-segment'?: boolean;
}

interface MediaType {
  schema?: Schema;
}

export interface OpenApiOperation {
  operationId: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
}

export interface OpenApiDocument {
  'x-source': { package: string; file: string; operations: string[] };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, Schema> };
}

export function loadDescription(): OpenApiDocument {
  return JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as OpenApiDocument;
}

export function findOperation(document: OpenApiDocument, operationId: string): OpenApiOperation {
  const found = Object.values(document.paths)
    .flatMap((item) => Object.values(item))
    .find((operation) => operation.operationId === operationId);
  if (found === undefined) throw new Error(`operation ${operationId} is not in ${FIXTURE_PATH}`);
  return found;
}
