import * as v from "valibot";
import { EVENT_TYPE } from "../../core/requests/validation.ts";
import { MESSAGE_ID } from "./shape-parts.ts";

/* Answer shapes of a polling endpoint's feed (GET /v1/endpoints/{id}/feed); response-schemas.ts re-exports them. */

/** One delivery in a polling endpoint's feed: what a webhook POST would have carried, signed when read. */
export const FeedItem = v.strictObject({
  id: v.pipe(v.string(), v.description("Unique per append: a redelivery or a replay is a new item with the same eventId")),
  eventId: v.string(),
  messageId: MESSAGE_ID,
  eventType: EVENT_TYPE,
  timestamp: v.pipe(v.string(), v.isoTimestamp(), v.description("When the event was accepted")),
  payload: v.pipe(v.unknown(), v.description("The event's payload")),
  body: v.pipe(v.string(), v.description("The exact JSON text that was signed: POST it with `headers` to your own server")),
  headers: v.strictObject({
    "webhook-id": v.pipe(v.string(), v.description("The event's messageId: the dedupe key")),
    "webhook-timestamp": v.pipe(v.string(), v.description("Unix seconds of this read")),
    "webhook-signature": v.pipe(v.string(), v.description("`v1,<base64>`, one per live secret, space-separated")),
  }),
});

export const FeedPage = v.strictObject({
  items: v.array(FeedItem),
  cursor: v.pipe(v.string(), v.description("Opaque: pass it back to read on; the same one when nothing was read")),
});
