import * as v from "valibot";
import { DEFAULT_FEED_LIMIT, MAX_FEED_LIMIT, MAX_WAIT_SECONDS } from "../../core/feed/long-poll.ts";
import { EVENT_TYPE } from "../../core/requests/validation.ts";
import type { Operation } from "./operation.ts";
import { MESSAGE_ID } from "./response-schemas.ts";

/*
 * The feed route of functions/api/feed-routes.ts in the API document, and what it answers.
 */

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

export const FEED_OPERATIONS: Operation[] = [
  {
    method: "GET",
    path: "/v1/endpoints/{id}/feed",
    operationId: "readFeed",
    tag: "Endpoints",
    summary: "Read a polling endpoint's deliveries",
    description:
      "Items in the order the feed accepted them, from `cursor` on (none: from the oldest kept). A consumer that always passes back the cursor it was given sees every item at least once, in that order. With `wait` > 0 an empty answer is held until an item arrives (answered within about a second) or the wait ends. A held poll counts against `MAX_POLLS_PER_ENDPOINT` and `MAX_POLLS_PER_TENANT` (`429 too_many_polls` with `Retry-After` past either); a `wait=0` read and a poll that finds items at once do not. Long polls are served at the `feedUrl` that `GET /v1/health` tells (null: this URL); the API function answers them `400 use_feed_url` with `details.feedUrl`.",
    parameters: [
      { name: "cursor", in: "query", description: "The `cursor` of the previous answer", schema: { type: "string" } },
      {
        name: "limit",
        in: "query",
        description: "Items at most",
        schema: { type: "integer", minimum: 1, maximum: MAX_FEED_LIMIT, default: DEFAULT_FEED_LIMIT },
      },
      {
        name: "wait",
        in: "query",
        description: "Seconds to hold an empty answer",
        schema: { type: "integer", minimum: 0, maximum: MAX_WAIT_SECONDS, default: 0 },
      },
    ],
    success: { status: 200, description: "Items and the cursor to pass back", schema: FeedPage },
    errors: ["not_a_polling_endpoint", "cursor_expired", "too_many_polls", "use_feed_url"],
  },
];
