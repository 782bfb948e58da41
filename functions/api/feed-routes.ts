import { confinedTenant } from "../core/access/principal.ts";
import { getEndpoint } from "../core/endpoints/endpoints.ts";
import { HOLE_GRACE_MS } from "../core/feed/deps.ts";
import { DEFAULT_FEED_LIMIT, MAX_FEED_LIMIT, MAX_WAIT_SECONDS, parseFeedLimit, parseFeedWait, pollFeed } from "../core/feed/long-poll.ts";
import { type ApiError, invalidField } from "../core/kernel/errors.ts";
import { pathParam, query } from "./request.ts";
import { json } from "./response.ts";
import type { Route } from "./route.ts";

/**
 * Kept back from the invocation's time after a long poll: one more read, signing and the answer.
 * With the runtime's own 1 s reserve, a wait ends 2.5 s before the deadline (see LEASE_MARGIN_MS).
 */
export const FEED_ANSWER_RESERVE_MS = 1_500;

/**
 * GET /v1/endpoints/{id}/feed: a polling endpoint's deliveries, from a cursor, held up to `wait`
 * seconds when there are none. The API function (API_ROUTES=api) holds no long poll: it answers
 * `wait` > 0 with 400 `use_feed_url`, naming the feed function's URL when it has one of its own.
 */
export const readFeedRoute: Route = {
  method: "GET",
  path: "/v1/endpoints/{id}/feed",
  feed: true,
  doc: (R) => {
    DOC: return {
      operationId: "readFeed",
      tag: "Endpoints",
      summary: "Read a polling endpoint's deliveries",
      description:
        "Items in the order the feed accepted them, from `cursor` on (none: from the oldest kept). A consumer that always passes back the cursor it was given sees every item at least once, in that order. With `wait` > 0 an empty answer is held until an item arrives (answered within about a second) or the wait ends. A held poll counts against `MAX_POLLS_PER_ENDPOINT` and `MAX_POLLS_PER_TENANT` (`429 too_many_polls` with `Retry-After` past either); a `wait=0` read and a poll that finds items at once do not. Long polls are served at the `feedUrl` that `GET /v1/health` tells (null: this URL); the API function answers them `400 use_feed_url` with the `feedUrl` of its `details` entry for `wait`.",
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
      success: { status: 200, description: "Items and the cursor to pass back", schema: R.FeedPage },
      errors: ["not_a_polling_endpoint", "cursor_expired", "too_many_polls", "use_feed_url"],
    };
  },
  handler: async (e, caller, deps) => {
    const settings = { logRetentionDays: deps.logRetentionDays, holeGraceMs: HOLE_GRACE_MS };
    // Refused before any read: a long poll sent to the API function costs it nothing more.
    if (deps.apiRoutes === "api" && parseFeedWait(query(e, "wait")) > 0) throw misdirected(deps.feedUrl);
    const endpoint = await getEndpoint(deps, pathParam(e, "id"), confinedTenant(caller));
    const limit = parseFeedLimit(query(e, "limit"));
    const waitMs = Math.max(0, Math.min(parseFeedWait(query(e, "wait")) * 1000, deps.timeLeftMs() - FEED_ANSWER_RESERVE_MS));
    const answer = await pollFeed({ ...deps, settings }, endpoint, { cursor: query(e, "cursor"), limit, waitMs });
    return json(200, answer);
  },
};

function misdirected(feedUrl: string | undefined): ApiError {
  const where = feedUrl === undefined ? "the feed route of this API" : feedUrl;
  return invalidField(
    "wait",
    `above 0 (a long poll) is served at ${where}, not by the API function; wait=0 reads are served here`,
    "use_feed_url",
    feedUrl === undefined ? {} : { feedUrl },
  );
}
