import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Context } from "aws-lambda";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/logger.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { openApiDocument } from "../../functions/api/openapi/document.ts";
import { EXAMPLES, LIMIT_SCHEMA, OPERATIONS } from "../../functions/api/openapi/operations.ts";
import { type ApiDeps, routes } from "../../functions/api/routes.ts";
import { Authenticator } from "../../functions/core/api-keys.ts";
import { parseLimit } from "../../functions/core/validation.ts";
import { documentText } from "../../scripts/openapi.ts";
import { apiEvent } from "../support/api-event.ts";
import { ContractChecker } from "../support/contract.ts";
import { FakeClock, MemoryApiKeyStore, MemoryAttemptLog, MemoryEndpointStore, MemoryEventStore, MemoryQueue } from "../support/fakes.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, "utf8");
const document = openApiDocument() as any;

describe("the API document", () => {
  it("has exactly the routes the router serves", () => {
    const served = routes({} as ApiDeps).map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(15);
    expect(OPERATIONS.map((o) => `${o.method} ${o.path}`).sort()).toEqual([...served].sort());
    expect(new ContractChecker(document).operations().sort()).toEqual([...served].sort());
  });

  it("passes Redocly's recommended rules with no error and no warning", () => {
    const result = spawnSync("npx", ["redocly", "lint", "docs/openapi.json", "--format=summary"], { cwd: ROOT, encoding: "utf8" });
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toMatch(/Your API description is valid/);
    expect(output).not.toMatch(/error|warning/i);
    expect(result.status).toBe(0);
  });

  it("is committed as docs/openapi.json exactly as the code generates it (npm run openapi)", () => {
    expect(read("docs/openapi.json")).toBe(documentText());
  });

  it("is rendered into docs/api.html, which embeds it and loads nothing from the network", () => {
    const html = read("docs/api.html");
    for (const op of OPERATIONS) expect(html).toContain(`"operationId":"${op.operationId}"`);
    expect(html).toContain(JSON.stringify(document.components.schemas.CreateEndpoint));
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import\s+url\(["']?(https?:)?\/\//i);
  });

  it("shows the README's request examples", () => {
    const readme = read("README.md");
    const curlBody = (route: string) => {
      const match = new RegExp(`curl -s \\$API${route} [^]*?-d '([^']*)'`).exec(readme);
      return JSON.parse(match?.[1] ?? "null");
    };
    expect(curlBody("/v1/endpoints")).toEqual(EXAMPLES.createEndpoint);
    expect(curlBody("/v1/events")).toEqual(EXAMPLES.emitEvent);
    expect(document.paths["/v1/endpoints"].post.requestBody.content["application/json"].example).toEqual(EXAMPLES.createEndpoint);
  });

  it("has request examples that the route's own schema accepts", () => {
    const withExamples = OPERATIONS.filter((o) => o.body?.example !== undefined);
    expect(withExamples.length).toBeGreaterThan(5);
    for (const op of withExamples) {
      expect(v.safeParse(op.body?.schema as v.GenericSchema, op.body?.example).success, op.operationId).toBe(true);
    }
  });

  it("describes `limit` as parseLimit checks it", () => {
    expect(parseLimit(undefined)).toBe(LIMIT_SCHEMA.default);
    expect(parseLimit(String(LIMIT_SCHEMA.minimum))).toBe(LIMIT_SCHEMA.minimum);
    expect(parseLimit(String(LIMIT_SCHEMA.maximum))).toBe(LIMIT_SCHEMA.maximum);
    expect(() => parseLimit(String(LIMIT_SCHEMA.minimum - 1))).toThrow(/limit/);
    expect(() => parseLimit(String(LIMIT_SCHEMA.maximum + 1))).toThrow(/limit/);
  });

  it("documents each error code with its status and the shared error shape", () => {
    const emit = document.paths["/v1/events"].post.responses;
    expect(emit["409"].content["application/json"].schema.allOf[1].properties.error.properties.code.enum).toEqual(["idempotency_conflict"]);
    expect(emit["401"].headers["www-authenticate"]).toBeDefined();
    expect(emit["503"].headers["retry-after"]).toBeDefined();
    expect(document.paths["/v1/health"].get.security).toEqual([]);
    expect(document.paths["/v1/api-keys"].post.responses["403"]).toBeDefined();
    expect(document.paths["/v1/endpoints/{id}"].patch.responses["409"].description).toMatch(/concurrent_update/);
    expect(document.components.schemas.Error.required).toEqual(["error"]);
  });
});

describe("the contract checker", () => {
  const checker = new ContractChecker(document);
  const json = "application/json";

  it("accepts an answer the document describes", () => {
    const body = { items: [], nextCursor: null };
    expect(checker.problems({ method: "GET", path: "/v1/api-keys?limit=2", status: 200, contentType: json, body })).toEqual([]);
  });

  it("refuses a route the document lacks, a status it does not list, and a body outside the schema", () => {
    expect(checker.problems({ method: "GET", path: "/v1/unknown", status: 200, contentType: json, body: {} })).toHaveLength(1);
    expect(checker.problems({ method: "PUT", path: "/v1/endpoints/ep_1", status: 200, contentType: json, body: {} })).toHaveLength(1);
    expect(checker.problems({ method: "GET", path: "/v1/health", status: 418, contentType: json, body: {} })).toHaveLength(1);
    expect(
      checker.problems({ method: "GET", path: "/v1/health", status: 200, contentType: json, body: { status: "ok", extra: 1 } }),
    ).toHaveLength(1);
    const wrongCode = { error: { code: "not_found", message: "x" } };
    expect(checker.problems({ method: "POST", path: "/v1/events", status: 409, contentType: json, body: wrongCode })).toHaveLength(1);
    expect(checker.problems({ method: "DELETE", path: "/v1/api-keys/k", status: 204, contentType: null, body: { a: 1 } })).toHaveLength(1);
  });
});

describe("GET /v1/openapi.json", () => {
  const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };
  const deps = {
    endpoints: new MemoryEndpointStore(),
    events: new MemoryEventStore(),
    attempts: new MemoryAttemptLog(),
    apiKeys: new MemoryApiKeyStore(),
    queue: new MemoryQueue(),
    clock: new FakeClock(),
    logRetentionDays: 30,
    maxBodyBytes: 4096,
    checkUrl: async () => undefined,
  };
  const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);

  it("serves the document without a key, the same on every call", async () => {
    const first = await handler(apiEvent("GET", "/v1/openapi.json", { key: null }), {} as Context);
    const second = await handler(apiEvent("GET", "/v1/openapi.json", { key: null }), {} as Context);
    expect(first.statusCode).toBe(200);
    expect(first.headers?.["content-type"]).toBe("application/json");
    expect(JSON.parse(first.body ?? "")).toEqual(document);
    expect(second.body).toBe(first.body);
  });
});
