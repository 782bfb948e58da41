import * as v from "valibot";

/* The small schemas the answer shapes (response-schemas.ts and its neighbours) are made of. */

/** An ISO 8601 time. */
export const TIMESTAMP = v.pipe(v.string(), v.isoTimestamp(), v.description("ISO 8601 time"));
/** An id this API gave out. */
export const ID = v.pipe(v.string(), v.description("An identifier this API gave out"));
/** The message id: the `webhook-id` of every delivery of an event. */
export const MESSAGE_ID = v.pipe(
  v.string(),
  v.description(
    "The `webhook-id` every delivery of the event carries (each attempt, replay, recovery and endpoint): `msg_` + 27 base62 characters derived from the tenant and the event id. An event accepted before message ids existed keeps its `id` here",
  ),
);
/** The schema, or null. */
export const nullable = <S extends v.GenericSchema>(schema: S) => v.nullable(schema);
