import type {
  CreatedEndpoint,
  CreatePollingEndpoint,
  ErrorBody,
  ErrorCode,
  FeedItem,
  FeedPage,
  Secret,
} from "../../clients/typescript/src/index.ts";
import { ApiAnswerError, ApiUnreachableError } from "./errors.ts";
import { retryAfterToMs } from "./forward.ts";

// The feed's shapes as the API document declares them (the generated client's types), as any client reads them.
export type { FeedItem, FeedPage };

/** The endpoint calls `listen` makes. */
export interface ListenApi {
  createPollingEndpoint(eventTypes: string[], secret?: string): Promise<Pick<CreatedEndpoint, "id" | "secret">>;
  /** True when the endpoint exists for this key. */
  endpointExists(id: string): Promise<boolean>;
  getSecret(id: string): Promise<string>;
  deleteEndpoint(id: string): Promise<void>;
  readFeed(id: string, query: { cursor?: string; wait: number; limit: number }, signal: AbortSignal): Promise<FeedPage>;
  /** The WebSocket push URL GET /v1/health tells, or undefined when the API has none. */
  websocketUrl(): Promise<string | undefined>;
}

// A long poll holds up to `wait` seconds; this is the margin on top of it before the call counts as lost.
const CALL_MARGIN_MS = 15_000;

/**
 * The API over fetch, with the CLI's own timeouts and errors (ApiUnreachableError names the URL that
 * did not answer). Long polls go to the feed's URL: the API's own, until a `400 use_feed_url` names
 * another (a deployment with `frontDoor: "function-url"`).
 */
export function httpListenApi(apiUrl: string, apiKey: string): ListenApi {
  let feedUrl = apiUrl;
  async function call(
    method: string,
    path: string,
    options: { body?: unknown; signal?: AbortSignal; waitSeconds?: number; base?: string } = {},
  ) {
    const timeout = AbortSignal.timeout((options.waitSeconds ?? 0) * 1000 + CALL_MARGIN_MS);
    const base = options.base ?? apiUrl;
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, ...(options.body !== undefined && { "content-type": "application/json" }) },
        ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
        signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ApiUnreachableError(base, error);
    }
    const text = await response.text();
    const json = text === "" ? undefined : safeJson(text);
    if (!response.ok) {
      const error = (json as Partial<ErrorBody> | undefined)?.error;
      const retryAfterMs = retryAfterToMs(response.headers.get("retry-after"));
      throw new ApiAnswerError(
        response.status,
        (error?.code as ErrorCode | undefined) ?? "unknown",
        error?.message ?? (text.slice(0, 200) || response.statusText),
        {
          details: error?.details,
          ...(retryAfterMs !== undefined && { retryAfterMs }),
        },
      );
    }
    return json;
  }
  const endpointPath = (id: string) => `/v1/endpoints/${encodeURIComponent(id)}`;
  return {
    async createPollingEndpoint(eventTypes, secret) {
      const body: CreatePollingEndpoint = {
        kind: "polling",
        description: "hookrelay listen (temporary)",
        ...(eventTypes.length > 0 && { eventTypes }),
        ...(secret !== undefined && { secret }),
      };
      return (await call("POST", "/v1/endpoints", { body })) as CreatedEndpoint;
    },
    async endpointExists(id) {
      try {
        await call("GET", endpointPath(id));
        return true;
      } catch (error) {
        if (error instanceof ApiAnswerError && error.status === 404) return false;
        throw error;
      }
    },
    async getSecret(id) {
      return ((await call("GET", `${endpointPath(id)}/secret`)) as Secret).secret;
    },
    async deleteEndpoint(id) {
      await call("DELETE", endpointPath(id));
    },
    async websocketUrl() {
      const url = ((await call("GET", "/v1/health")) as { websocketUrl?: string | null } | undefined)?.websocketUrl;
      return typeof url === "string" && /^wss?:\/\//.test(url) && URL.canParse(url) ? url : undefined;
    },
    async readFeed(id, query, signal) {
      const params = new URLSearchParams({ wait: String(query.wait), limit: String(query.limit) });
      if (query.cursor !== undefined) params.set("cursor", query.cursor);
      const read = async () =>
        (await call("GET", `${endpointPath(id)}/feed?${params}`, { signal, waitSeconds: query.wait, base: feedUrl })) as FeedPage;
      try {
        return await read();
      } catch (error) {
        const moved = error instanceof ApiAnswerError && error.code === "use_feed_url" ? movedTo(error.problemWith("wait")) : undefined;
        if (moved === undefined) throw error;
        feedUrl = moved;
        return read();
      }
    },
  };
}

/** The feed URL a `400 use_feed_url` names (on its `wait` problem), without its trailing slashes; undefined when it names none. */
function movedTo(problem: Record<string, unknown> | undefined): string | undefined {
  const url = problem?.feedUrl;
  return typeof url === "string" && /^https?:\/\//.test(url) && URL.canParse(url) ? url.replace(/\/+$/, "") : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
