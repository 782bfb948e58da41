import { TenantId } from "../../core/requests/validation.ts";
import type { Method, Parameter, RouteDoc } from "../route.ts";

/*
 * The parameters and examples several routes' documentation shares, and a route as the document
 * builder reads it.
 */

/** One route as the document shows it: its declared documentation, method, path and access. */
export type Operation = RouteDoc & { method: Method; path: string; public?: boolean; adminOnly?: boolean };

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

/** The examples docs/api.md shows (a test holds them equal). */
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
