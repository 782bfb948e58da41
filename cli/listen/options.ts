import { homedir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isValidSecret } from "../../functions/core/kernel/signing.ts";
import { UsageError } from "./errors.ts";

/** What `hookrelay listen` was asked to do, checked. */
export interface ListenOptions {
  forwardTo: URL;
  apiUrl: string;
  apiKey: string;
  /** An existing polling endpoint to read; undefined means a temporary one is created. */
  endpointId?: string;
  /** Event types of the temporary endpoint; empty means every type. */
  events: string[];
  /** The whsec_ secret of the temporary endpoint; undefined lets the API make one. */
  secret?: string;
  /** Where cursors are kept across restarts, one file per API and endpoint. */
  stateDir: string;
  /** How items arrive: WebSocket push falling back to long polling (`auto`), or only one of them. */
  transport: Transport;
  /** The WebSocket URL from --ws or HOOKRELAY_WS_URL; undefined: the one GET /v1/health tells. */
  wsUrl?: string;
}

/** `--transport`: `auto` pushes over WebSocket and long polls while it cannot; `ws` and `poll` never fall back. */
export type Transport = "auto" | "ws" | "poll";

/** The environment variables the CLI reads (the same names as the TypeScript client's example in docs/api.md). */
export interface ListenEnv {
  HOOKRELAY_API_URL?: string;
  HOOKRELAY_API_KEY?: string;
  HOOKRELAY_WS_URL?: string;
}

/** The flags of `listen`; `--help` documents each of them. */
export const LISTEN_FLAGS = {
  "forward-to": { type: "string" },
  events: { type: "string", multiple: true },
  endpoint: { type: "string" },
  secret: { type: "string" },
  api: { type: "string" },
  key: { type: "string" },
  "state-dir": { type: "string" },
  transport: { type: "string" },
  ws: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The text `hookrelay listen --help` prints: every flag, its default and the guarantees. */
export const LISTEN_HELP = `Usage: hookrelay listen --forward-to <url> [options]

Follows an endpoint's feed (pushed over the WebSocket, or long-polled from
GET /v1/endpoints/{id}/feed: see --transport) and POSTs each webhook to a URL on your machine with
its Standard Webhooks headers unchanged, so your receiver verifies it with the secret printed at
start.

Options:
  --forward-to <url>   where to POST each webhook, http:// or https:// (required)
  --events <types>     event types of the temporary endpoint, comma-separated or repeated
                       (default: every type); not with --endpoint
  --endpoint <ep_...>  read this existing polling endpoint instead of creating a temporary one;
                       it is kept when listen stops
  --secret <whsec_...> the signing secret of the temporary endpoint, e.g. the one your receiver
                       already uses (default: the API makes one); not with --endpoint
  --api <url>          the hookrelay API (default: $HOOKRELAY_API_URL)
  --key <key>          an API key, a tenant key or the admin key (default: $HOOKRELAY_API_KEY)
  --state-dir <dir>    where the cursor is kept across restarts, one file per API and endpoint
                       (default: ~/.hookrelay/listen)
  --transport <t>      auto (default): WebSocket push, long polling while it cannot connect;
                       ws: push only; poll: long polling only (docs/websocket.md)
  --ws <url>           the WebSocket push URL (default: $HOOKRELAY_WS_URL, else the one
                       GET /v1/health tells)
  -h, --help           this text

Guarantees:
  - Nothing is skipped: the cursor moves past a webhook only once your URL answered it. While your
    URL gives no answer (refused, reset, 30 s timeout) or answers 429, 502, 503 or 504, the same
    webhook is retried with backoff (0.5 s doubling to 10 s). Any other status, 4xx and 5xx
    included, is printed and the next webhook follows. A webhook retried for 4 minutes is read
    again, freshly signed, so receivers' 5-minute timestamp tolerance does not refuse it.
  - At least once: after a crash or kill -9 a webhook may come again, with the same webhook-id.
  - A temporary endpoint is deleted on Ctrl-C (SIGINT or SIGTERM). After a crash, the next run with
    the same --api, --events and --forward-to resumes it and its cursor. A second listener with
    the same flags is refused while the first runs.

Exit codes: 0 stopped by a signal, 1 the API refused or could not be reached, 2 wrong command line.
`;

/** Parses and checks `listen`'s arguments; flags win over the environment. Returns "help" for --help. */
export function parseListenArgs(args: string[], env: ListenEnv, home = homedir()): ListenOptions | "help" {
  let values: ReturnType<typeof parseFlags>;
  try {
    values = parseFlags(args);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  const forwardTo = parseForwardTo(values["forward-to"]);
  const apiUrl = (values.api ?? env.HOOKRELAY_API_URL ?? "").replace(/\/+$/, "");
  if (!apiUrl) throw new UsageError("--api (or HOOKRELAY_API_URL) is required");
  if (!/^https?:\/\//.test(apiUrl) || !URL.canParse(apiUrl)) throw new UsageError(`--api must be an http(s) URL, got ${apiUrl}`);
  const apiKey = values.key ?? env.HOOKRELAY_API_KEY ?? "";
  if (!apiKey) throw new UsageError("--key (or HOOKRELAY_API_KEY) is required");
  const events = (values.events ?? []).flatMap((list) => list.split(",")).map((type) => type.trim());
  if (events.some((type) => type === "")) throw new UsageError("--events has an empty event type");
  const endpointId = values.endpoint;
  if (endpointId !== undefined && events.length > 0) {
    throw new UsageError("--events sets the types of a temporary endpoint; an existing --endpoint keeps its own");
  }
  if (endpointId !== undefined && !/^[A-Za-z0-9_-]+$/.test(endpointId))
    throw new UsageError(`--endpoint is not an endpoint id: ${endpointId}`);
  const secret = values.secret;
  if (secret !== undefined && endpointId !== undefined)
    throw new UsageError("--secret sets the secret of a temporary endpoint; an existing --endpoint keeps its own");
  if (secret !== undefined && !isValidSecret(secret))
    throw new UsageError("--secret must be whsec_ followed by the base64 of 24 to 64 bytes");
  const stateDir = values["state-dir"] ?? join(home, ".hookrelay", "listen");
  const transport = values.transport ?? "auto";
  if (transport !== "auto" && transport !== "ws" && transport !== "poll")
    throw new UsageError(`--transport must be auto, ws or poll, got ${transport}`);
  const wsUrl = (values.ws ?? env.HOOKRELAY_WS_URL ?? "").replace(/\/+$/, "");
  if (wsUrl !== "" && (!/^wss?:\/\//.test(wsUrl) || !URL.canParse(wsUrl)))
    throw new UsageError(`--ws must be a ws:// or wss:// URL, got ${wsUrl}`);
  if (wsUrl !== "" && transport === "poll") throw new UsageError("--ws names the WebSocket URL; --transport poll never uses it");
  return {
    transport,
    ...(wsUrl !== "" && { wsUrl }),
    forwardTo,
    apiUrl,
    apiKey,
    events: [...new Set(events)].sort(),
    stateDir,
    ...(endpointId !== undefined && { endpointId }),
    ...(secret !== undefined && { secret }),
  };
}

function parseFlags(args: string[]) {
  // strict: an unknown or misspelled flag is an error, not silently ignored.
  return parseArgs({ args, options: LISTEN_FLAGS, strict: true, allowPositionals: false }).values;
}

function parseForwardTo(value: string | undefined): URL {
  if (value === undefined) throw new UsageError("--forward-to is required, e.g. --forward-to http://127.0.0.1:4000/webhooks");
  const url = URL.parse(value);
  if (url === null || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`--forward-to must be an http:// or https:// URL, got ${value}`);
  }
  return url;
}
