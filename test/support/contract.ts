import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { openApiDocument } from "../../functions/api/openapi/document.ts";

type Json = Record<string, any>;

// ajv-formats is CommonJS: its default export arrives wrapped under Node's ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** One answer of the API, as a client saw it. */
export interface Exchange {
  method: string;
  /** The path as sent, with its query. */
  path: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

/**
 * Checks answers against the API document: finds the operation by method and path template, then
 * validates the body with Ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect) against the schema of the
 * answered status. A path no operation matches, an undocumented status or a body outside its schema
 * is a problem.
 */
export class ContractChecker {
  readonly document: Json;
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: { method: string; template: string; pattern: RegExp }[];
  /** Operations ("GET /v1/x/{id}") an answer was checked for, and how many of their statuses. */
  readonly seen = new Map<string, Set<number>>();

  constructor(document: Json = openApiDocument()) {
    this.document = document;
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: "api", components: document.components }, "api");
    this.templates = Object.entries(document.paths as Json).flatMap(([template, ops]) =>
      Object.keys(ops).map((method) => ({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+")}$`),
      })),
    );
  }

  /** Every operation of the document, as "METHOD /path/{template}". */
  operations(): string[] {
    return this.templates.map((t) => `${t.method} ${t.template}`);
  }

  /** True when the document has an operation for this request. */
  covers(method: string, pathAndQuery: string): boolean {
    return this.operationOf(method, pathAndQuery) !== undefined;
  }

  private operationOf(method: string, pathAndQuery: string) {
    const path = pathAndQuery.split("?")[0] as string;
    return this.templates.find((t) => t.method === method && t.pattern.test(path));
  }

  /** What is wrong with this answer, or an empty list. */
  problems(exchange: Exchange): string[] {
    const path = exchange.path.split("?")[0] as string;
    const found = this.operationOf(exchange.method, path);
    if (!found) return [`${exchange.method} ${path}: no operation in the document`];
    const key = `${found.method} ${found.template}`;
    this.seen.set(key, (this.seen.get(key) ?? new Set()).add(exchange.status));
    const response = this.document.paths[found.template][found.method.toLowerCase()].responses[String(exchange.status)];
    if (!response) return [`${key}: status ${exchange.status} is not in the document (${JSON.stringify(exchange.body)})`];
    const schema = response.content?.["application/json"]?.schema;
    if (!schema) return exchange.body === undefined ? [] : [`${key} ${exchange.status}: a body where the document has none`];
    if (!exchange.contentType?.startsWith("application/json")) return [`${key} ${exchange.status}: content-type ${exchange.contentType}`];
    const validate = this.validator(`${key} ${exchange.status}`, schema);
    if (validate(exchange.body)) return [];
    return [`${key} ${exchange.status}: ${this.ajv.errorsText(validate.errors)} in ${JSON.stringify(exchange.body).slice(0, 500)}`];
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(schema));
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/** Points the document's local references at the schema registered as "api". */
function rebase(value: unknown): any {
  if (Array.isArray(value)) return value.map(rebase);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `api${v}` : rebase(v)]),
  );
}
