import { confinedTenant } from "../core/access/principal.ts";
import { getEndpoint } from "../core/endpoints/endpoints.ts";
import { HOLE_GRACE_MS } from "../core/feed/deps.ts";
import { parseFeedLimit, parseFeedWait, pollFeed } from "../core/feed/long-poll.ts";
import { type ApiError, invalidField } from "../core/kernel/errors.ts";
import { pathParam, query } from "./request.ts";
import { json } from "./response.ts";
import type { ApiDeps, Route } from "./routes.ts";

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
export function feedRoutes(deps: ApiDeps): Route[] {
  const settings = { logRetentionDays: deps.logRetentionDays, holeGraceMs: HOLE_GRACE_MS };
  return [
    {
      method: "GET",
      path: "/v1/endpoints/{id}/feed",
      handler: async (e, caller) => {
        // Refused before any read: a long poll sent to the API function costs it nothing more.
        if (deps.apiRoutes === "api" && parseFeedWait(query(e, "wait")) > 0) throw misdirected(deps.feedUrl);
        const endpoint = await getEndpoint(deps, pathParam(e, "id"), confinedTenant(caller));
        const limit = parseFeedLimit(query(e, "limit"));
        const waitMs = Math.max(0, Math.min(parseFeedWait(query(e, "wait")) * 1000, deps.timeLeftMs() - FEED_ANSWER_RESERVE_MS));
        const answer = await pollFeed({ ...deps, settings }, endpoint, { cursor: query(e, "cursor"), limit, waitMs });
        return json(200, answer);
      },
    },
  ];
}

function misdirected(feedUrl: string | undefined): ApiError {
  const where = feedUrl === undefined ? "the feed route of this API" : feedUrl;
  return invalidField(
    "wait",
    `above 0 (a long poll) is served at ${where}, not by the API function; wait=0 reads are served here`,
    "use_feed_url",
    feedUrl === undefined ? {} : { feedUrl },
  );
}
