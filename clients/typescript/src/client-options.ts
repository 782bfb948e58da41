/** What a HookrelayClient is made with. */
export interface ClientOptions {
  /** Where the API is, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com` or `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** The admin key or a tenant key (`hrk_…`). */
  apiKey: string;
  /** How often `emit` repeats a call that failed on our side (503 or no answer), with the same idempotency key. Default 2. */
  emitRetries?: number;
  /** Longest wait between those repeats, in ms (the API's Retry-After is honoured up to this). Default 10000. */
  maxRetryDelayMs?: number;
  /**
   * Where `readFeed` and `feed` send their long polls, when not to `baseUrl`: the stack's `FeedUrl`
   * output, or `feedUrl` of GET /v1/health. Unset, the client finds it on the API's first
   * `400 use_feed_url` (a deployment with `frontDoor: "function-url"`) and keeps it.
   */
  feedUrl?: string;
  /** A fetch to use instead of the global one. */
  fetch?: (request: Request) => Promise<Response>;
}
