import { compileSchema } from "../../functions/adapters/schemas/json-schema-engine.ts";
import { mapWithConcurrency } from "../../functions/core/kernel/concurrency.ts";
import type { ApiClient } from "../support/api-client.ts";
import { invoicePayload } from "../support/payload.ts";
import { median, round } from "../support/stats.ts";

/**
 * Stage 6: what a payload schema costs intake. The same 1 KB invoice events go through the local
 * API as an uncatalogued type and as a catalogued type whose schema describes every field (33
 * properties, three levels deep, with formats, enums, bounds and a `$ref`), in interleaved rounds;
 * the figure is the second rate over the first. Events go to a tenant without endpoints, so the
 * rates are intake's own (validate, read subscriptions, record the event), not delivery's.
 */

export interface EventSchemaOptions {
  /** Events per round and type. */
  events: number;
  rounds: number;
  /** Events per batch request, and requests in flight. */
  batchSize: number;
  concurrency: number;
}

export interface EventSchemaResult {
  schemaProperties: number;
  without: { perSecond: number; samples: number[] };
  with: { perSecond: number; samples: number[] };
  /** With a schema over without, medians of interleaved rounds. */
  ratio: number;
  /** One payload checked against the compiled schema, in-process: microseconds per event. */
  validateMicros: number;
  target: number;
  met: boolean;
}

const TENANT = "bench-schema";
const TYPED = "bench.invoice.paid";
const UNTYPED = "bench.invoice.unchecked";

const id = { type: "string", pattern: "^[a-z]{2,3}_[0-9a-z]+$", maxLength: 64 };
const unix = { type: "integer", minimum: 0 };
const money = { type: "integer", minimum: 0 };

/** A schema of the bench's invoice payload, as an operator would write it. */
export const INVOICE_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  additionalProperties: false,
  required: ["seq", "object", "id", "number", "status", "currency", "customer", "lines", "subtotal", "tax", "total", "created"],
  properties: {
    seq: { type: "integer", minimum: 0 },
    object: { const: "invoice" },
    id,
    number: { type: "string", pattern: "^INV-[0-9]+$" },
    status: { enum: ["draft", "open", "paid", "void"] },
    currency: { enum: ["eur", "usd", "gbp", "jpy"] },
    customer: {
      type: "object",
      required: ["id", "name", "email", "address"],
      properties: {
        id,
        name: { type: "string", minLength: 1, maxLength: 200 },
        email: { type: "string", format: "email" },
        address: {
          type: "object",
          required: ["line1", "city", "country"],
          properties: {
            line1: { type: "string" },
            city: { type: "string" },
            postalCode: { type: "string", maxLength: 16 },
            country: { type: "string", pattern: "^[A-Z]{2}$" },
          },
        },
      },
    },
    lines: { type: "array", minItems: 1, maxItems: 100, items: { $ref: "#/$defs/line" } },
    subtotal: money,
    tax: money,
    total: money,
    paidAt: unix,
    created: unix,
    memo: { type: "string", maxLength: 500 },
    metadata: {
      type: "object",
      properties: { orderId: id, channel: { enum: ["web", "sales", "partner"] } },
    },
  },
  $defs: {
    line: {
      type: "object",
      required: ["id", "quantity", "unitAmount", "amount"],
      properties: {
        id,
        description: { type: "string" },
        quantity: { type: "integer", minimum: 1 },
        unitAmount: money,
        amount: money,
        period: { type: "object", required: ["start", "end"], properties: { start: unix, end: unix } },
      },
    },
  },
};

/** The number of property names the schema declares, nested ones included. */
function countProperties(schema: unknown): number {
  if (typeof schema !== "object" || schema === null) return 0;
  const own = "properties" in schema ? Object.keys(schema.properties as object).length : 0;
  return own + Object.values(schema).reduce((sum: number, v) => sum + countProperties(v), 0);
}

/** Catalogues the typed event, then emits both types in interleaved rounds. */
export async function benchEventSchema(
  api: ApiClient,
  options: EventSchemaOptions,
  progress: (line: string) => void,
): Promise<EventSchemaResult> {
  const created = await api.request("POST", "/v1/event-types", { name: TYPED, description: "The bench's invoice", schema: INVOICE_SCHEMA });
  if (created.status !== 201 && created.status !== 409) throw new Error(`cataloguing answered ${created.status}`);
  let seq = 0;
  const emit = async (type: string): Promise<number> => {
    const requests = Array.from({ length: Math.ceil(options.events / options.batchSize) }, (_, i) => i);
    const started = performance.now();
    await mapWithConcurrency(requests, options.concurrency, async () => {
      const events = Array.from({ length: options.batchSize }, () => ({ type, tenantId: TENANT, payload: invoicePayload(seq++) }));
      const out = await api.request("POST", "/v1/events/batch", { events });
      const refused = (out.json?.items ?? []).filter((item) => item.status !== 202);
      if (out.status !== 202 || refused.length > 0)
        throw new Error(`batch emit answered ${out.status}: ${JSON.stringify(refused[0] ?? out.json)}`);
    });
    return (requests.length * options.batchSize) / ((performance.now() - started) / 1000);
  };
  // A warm-up of each, so both types' catalog entries (and the validator) are cached first.
  await emit(UNTYPED);
  await emit(TYPED);
  const without: number[] = [];
  const withSchema: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    without.push(await emit(UNTYPED));
    withSchema.push(await emit(TYPED));
    progress(`    round ${r + 1}: ${round(without.at(-1) ?? 0, 0)} events/s without a schema, ${round(withSchema.at(-1) ?? 0, 0)} with`);
  }
  const { validate } = compileSchema(INVOICE_SCHEMA);
  const payloads = Array.from({ length: 2000 }, (_, i) => invoicePayload(i));
  const started = performance.now();
  for (const p of payloads) if (validate(p).length > 0) throw new Error("the bench payload does not match its schema");
  const validateMicros = ((performance.now() - started) * 1000) / payloads.length;
  const ratio = median(withSchema) / median(without);
  return {
    schemaProperties: countProperties(INVOICE_SCHEMA),
    without: { perSecond: round(median(without), 0), samples: without.map((v) => round(v, 0)) },
    with: { perSecond: round(median(withSchema), 0), samples: withSchema.map((v) => round(v, 0)) },
    ratio: round(ratio, 3),
    validateMicros: round(validateMicros, 1),
    target: 0.8,
    met: ratio >= 0.8,
  };
}
