import type * as v from "valibot";
import type { ApiErrorCode } from "../../core/kernel/errors.ts";
import { TenantId } from "../../core/requests/validation.ts";

/*
 * What an entry of the API document says of a route, and the parameters and examples several routes
 * share; the entries themselves are in operations.ts.
 */

/** A parameter: its schema is a valibot schema the route parses with, or JSON Schema where the route checks by hand. */
export interface Parameter {
  name: string;
  in: "query" | "header";
  description: string;
  schema: v.GenericSchema | Record<string, unknown>;
}

/** One route of the API as the document shows it. Error responses are derived from these facts. */
export interface Operation {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  operationId: string;
  tag: "Endpoints" | "Events" | "Event types" | "API keys" | "Portal" | "Service";
  summary: string;
  description?: string;
  /** No key needed. */
  public?: boolean;
  /** Only the admin key may call it (403 for a tenant key). */
  adminOnly?: boolean;
  /** Names a tenant: a tenant key naming another one answers 403. */
  namesTenant?: boolean;
  parameters?: Parameter[];
  /** The JSON body the route parses with this schema; `optional` when an empty body is allowed. */
  body?: { schema: v.GenericSchema; optional?: boolean; example?: unknown };
  success: { status: number; description: string; schema?: v.GenericSchema; example?: unknown; headers?: Record<string, string> };
  /** Errors beyond the ones every route of its kind answers. */
  errors?: ApiErrorCode[];
}

/** The tenant a list reads (the admin key names it; a tenant key reads its own). */
export const TENANT_QUERY: Parameter = {
  name: "tenantId",
  in: "query",
  description: "The tenant (admin key only; default `default`)",
  schema: TenantId,
};
/** The tenant of the event a route reads or replays: an event is named by its tenant and id. */
export const EVENT_TENANT_QUERY: Parameter = {
  name: "tenantId",
  in: "query",
  description: "The tenant the event belongs to (admin key only; default `default`)",
  schema: TenantId,
};

/** The `limit` query parameter as `parseLimit` checks it (a unit test holds the two together). */
export const LIMIT_SCHEMA = { type: "integer", minimum: 1, maximum: 250, default: 50 } as const;
/** The `Idempotency-Key` header as the emit route checks it. */
export const IDEMPOTENCY_KEY_SCHEMA = { type: "string", minLength: 1, maxLength: 255 } as const;

const limit: Parameter = { name: "limit", in: "query", description: "Items per page", schema: LIMIT_SCHEMA };
const cursor: Parameter = {
  name: "cursor",
  in: "query",
  description: "The `nextCursor` of the previous page",
  schema: { type: "string" },
};
/** A page's size and where it starts. */
export const paging = [limit, cursor];

/** The README's examples (a test holds them equal). */
export const EXAMPLES = {
  createEndpoint: {
    url: "https://customer.example/webhooks",
    eventTypes: ["invoice.paid", "invoice.voided"],
    tenantId: "acme",
    description: "Acme production",
    headers: { "x-acme-account": "42" },
  },
  emitEvent: { type: "invoice.paid", tenantId: "acme", payload: { invoice: "in_123", amount: 4200 } },
  createEventType: {
    name: "invoice.paid",
    description: "An invoice was paid in full",
    schema: {
      type: "object",
      required: ["invoice", "amount"],
      properties: { invoice: { type: "string" }, amount: { type: "integer", minimum: 0 } },
    },
    examples: [{ invoice: "in_123", amount: 4200 }],
  },
};
