import * as v from "valibot";
import { ID, MESSAGE_ID, TIMESTAMP } from "./shape-parts.ts";

/*
 * The answer shapes of the event-type catalog (docs/api.md): a type, a schema check's
 * refusal, and a sent example; response-schemas.ts re-exports them.
 */

export const EventType = v.strictObject({
  name: v.string(),
  description: v.string(),
  schema: v.pipe(
    v.nullable(v.record(v.string(), v.unknown())),
    v.description("The JSON Schema (draft 2020-12) every payload of the type must match; null: any payload"),
  ),
  examples: v.pipe(v.array(v.unknown()), v.description("Example payloads; the first is what send-example sends")),
  archived: v.pipe(v.boolean(), v.description("An archived type is refused at emit")),
  createdAt: TIMESTAMP,
  updatedAt: TIMESTAMP,
});

/** A stored type whose schema registration now refuses (`GET /v1/schema-check`). */
export const RefusedSchema = v.strictObject({
  name: v.string(),
  updatedAt: TIMESTAMP,
  issues: v.pipe(
    v.array(v.strictObject({ path: v.string(), message: v.string() })),
    v.description("What registration refuses, as places in the type (`schema.properties.sku.pattern`)"),
  ),
});

export const SentExample = v.strictObject({
  eventId: ID,
  messageId: MESSAGE_ID,
  endpointId: ID,
  type: v.string(),
  payload: v.pipe(v.unknown(), v.description("The payload sent, signed, to the endpoint")),
  source: v.pipe(v.picklist(["stored", "generated"]), v.description("The type's first example, or one built from its schema")),
});
