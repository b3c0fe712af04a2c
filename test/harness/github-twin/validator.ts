// Validation of requests and responses against the description. The description is OpenAPI 3.0: its
// schemas use `nullable` instead of JSON Schema's null type and a `discriminator` with mappings ajv cannot
// read, so each schema is converted before ajv compiles it.
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenApiDocument, OpenApiOperation, Schema } from './description';

const SCHEMA_ID = 'github-openapi';

/** Converts an OpenAPI 3.0 schema object to JSON Schema draft-07 for ajv. */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const { nullable, discriminator: _discriminator, ...rest } = schema as Schema;
  const converted: Schema = {};
  for (const [keyword, value] of Object.entries(rest)) {
    if (keyword === '$ref' && typeof value === 'string') {
      converted[keyword] = value.replace('#/components/schemas/', `${SCHEMA_ID}#/definitions/`);
    } else if (keyword === 'properties' && typeof value === 'object' && value !== null) {
      converted[keyword] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]),
      );
    } else if (['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf'].includes(keyword)) {
      converted[keyword] = toJsonSchema(value);
    } else {
      converted[keyword] = value;
    }
  }
  if (nullable !== true) return converted;
  if (typeof converted['type'] === 'string') {
    converted['type'] = [converted['type'], 'null'];
    if (Array.isArray(converted['enum'])) converted['enum'] = [...(converted['enum'] as unknown[]), null];
    return converted;
  }
  return { anyOf: [converted, { type: 'null' }] };
}

export class OpenApiValidator {
  private readonly bodies: Ajv;
  /** Parameters arrive as strings: this instance coerces them to the declared types. */
  private readonly parameters: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    this.bodies = createAjv(document, false);
    this.parameters = createAjv(document, true);
  }

  /** Problems with the path and query parameters and the JSON body, as readable messages. */
  validateRequest(
    operation: OpenApiOperation,
    path: Record<string, string>,
    query: Record<string, string>,
    body: unknown,
  ): string[] {
    const problems = [
      ...this.check(
        this.parameters,
        `${operation.operationId}:path`,
        parameterSchema(operation, 'path'),
        { ...path },
        'path',
      ),
      ...this.check(
        this.parameters,
        `${operation.operationId}:query`,
        parameterSchema(operation, 'query'),
        { ...query },
        'query',
      ),
    ];
    const requestBody = operation.requestBody;
    const schema = requestBody?.content['application/json']?.schema;
    if (body === undefined) {
      if (requestBody?.required === true) problems.push('request body is required');
    } else if (schema === undefined) {
      problems.push('operation takes no JSON request body');
    } else {
      problems.push(...this.check(this.bodies, `${operation.operationId}:body`, schema, body, 'body'));
    }
    return problems;
  }

  validateResponse(operation: OpenApiOperation, status: number, body: unknown): string[] {
    const response = operation.responses[String(status)];
    if (response === undefined)
      return [`status ${status} is not a documented response of ${operation.operationId}`];
    const schema = response.content?.['application/json']?.schema;
    if (schema === undefined)
      return body === undefined ? [] : [`status ${status} has no JSON body in the description`];
    return this.check(this.bodies, `${operation.operationId}:${status}`, schema, body, 'response');
  }

  private check(ajv: Ajv, key: string, schema: Schema, data: unknown, dataVar: string): string[] {
    let validate = this.compiled.get(key);
    if (validate === undefined) {
      validate = ajv.compile(toJsonSchema(schema) as Schema);
      this.compiled.set(key, validate);
    }
    return validate(data) ? [] : [ajv.errorsText(validate.errors, { dataVar, separator: '; ' })];
  }
}

function parameterSchema(operation: OpenApiOperation, location: 'path' | 'query'): Schema {
  const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === location);
  return {
    type: 'object',
    properties: Object.fromEntries(declared.map((parameter) => [parameter.name, parameter.schema])),
    required: declared.filter((parameter) => parameter.required === true).map((parameter) => parameter.name),
    // A parameter GitHub does not document is a bug in the caller, even though GitHub would ignore it.
    additionalProperties: false,
  };
}

function createAjv(document: OpenApiDocument, coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes });
  addFormats(ajv);
  // Formats ajv-formats does not know (GitHub's "repo.nwo") are documentation only: accept any string.
  for (const format of formatsIn(document))
    if (ajv.formats[format] === undefined) ajv.addFormat(format, true);
  const definitions = Object.entries(document.components.schemas).map(([name, schema]) => [
    name,
    toJsonSchema(schema),
  ]);
  ajv.addSchema({ $id: SCHEMA_ID, definitions: Object.fromEntries(definitions) as Schema });
  return ajv;
}

function formatsIn(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => formatsIn(item, found));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'format' && typeof value === 'string') found.add(value);
      else formatsIn(value, found);
    }
  }
  return found;
}
