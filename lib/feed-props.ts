/**
 * The WebhookDispatcher's props about polling endpoints' feeds: the feed function's memory and
 * concurrency, the long polls' limits, and the WebSocket push with its limits. Part of
 * WebhookDispatcherProps (lib/dispatcher-props.ts).
 */

/** How consumers of polling endpoints read their feeds: long polls and the WebSocket push. Every one is optional. */
export interface DispatcherFeedProps {
  /**
   * WebSocket push of polling endpoints' feeds (docs/websocket.md): a WebSocket API, the push
   * function, a keys-only stream on the table and a one-minute sweep. On by default: idle it costs
   * nothing but the sweep's 43,200 short invocations a month (about $0.01) and the stream's filtered
   * invocations per batch of feed appends, and a consumer of a polling endpoint should not need a
   * redeploy to be pushed. `false` leaves all of it out (and the WebSocketUrl output says so).
   * @default true
   */
  readonly webSocket?: boolean;
  /**
   * Memory of the feed function (GET /v1/endpoints/{id}/feed, long polls included), in MiB. A long
   * poll's wait is billed by memory, so 128 halves its price (about $34 instead of $67 per million
   * 20 s polls), but at 128 MB a page of 100 items of 25 KB (a 5 MB answer) peaks above the memory
   * and a cold start takes about 1.4 s instead of 0.7 s (`npm run bench -- --stage feed-memory`,
   * docs/performance.md). Choose 128 if your events are small (a page of 1 KB items peaks near 107 MB).
   * @default 256
   */
  readonly feedMemorySize?: number;
  /**
   * Long polls (`wait` > 0) one polling endpoint may hold at once, across every container
   * (MAX_POLLS_PER_ENDPOINT, 1 to 10); one more answers `429 too_many_polls` with `Retry-After`.
   * @default 2 (a consumer, and the poll its last run left behind)
   */
  readonly maxPollsPerEndpoint?: number;
  /**
   * Long polls one tenant may hold at once over all its endpoints (MAX_POLLS_PER_TENANT, 1 to 100,
   * at least maxPollsPerEndpoint, at most feedReservedConcurrency): the share of the feed's
   * concurrency one tenant can take.
   * @default 10
   */
  readonly maxPollsPerTenant?: number;
  /**
   * Items a WebSocket connection is pushed and has not acked, at most (PUSH_WINDOW, 1 to 1,000).
   * @default 100
   */
  readonly pushWindow?: number;
  /**
   * WebSocket connections subscribed to one polling endpoint at once (MAX_SOCKETS_PER_ENDPOINT, 1 to 100).
   * @default 5
   */
  readonly maxSocketsPerEndpoint?: number;
  /**
   * WebSocket connections subscribed at once over one tenant's endpoints (MAX_SOCKETS_PER_TENANT).
   * @default 50
   */
  readonly maxSocketsPerTenant?: number;
  /**
   * Reserved concurrency of the feed function, which holds the long polls: the most feed requests
   * in flight (more are throttled: 429 from a function URL, a 5xx from API Gateway), and capacity
   * no other function takes, so long polls never use the API's or the delivery function's. Lambda
   * keeps 100 of an account's concurrency unreserved: an account whose limit is below this plus 100
   * (new accounts may have 10) fails the deploy with "Specified ReservedConcurrentExecutions for
   * function decreases account's UnreservedConcurrentExecution below its minimum value". There,
   * pass `"unreserved"`: the feed then shares the account's pool, bounded only by the poll limits
   * (tenants x maxPollsPerTenant). 0 is refused (it would throttle every feed request).
   * @default 100
   */
  readonly feedReservedConcurrency?: number | "unreserved";
}
