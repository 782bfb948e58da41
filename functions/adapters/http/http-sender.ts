import type { ClientRequest } from "node:http";
import type { LookupFunction } from "node:net";
import type { HttpSender, SlowWatch } from "../../core/delivery/deps.ts";
import type { SendResult } from "../../core/policy/outcome.ts";
import type { DestinationPolicy } from "../../core/ssrf/destination-policy.ts";
import type { OwnSockets } from "../../core/ssrf/own-listeners.ts";

/*
 * node:https, node:net and node:dns as CommonJS modules, not ES-module imports: an ES import builds
 * a facade of every export, and node:http's lazy `WebSocket` export then loads Node's bundled undici,
 * about 20 ms of every cold start (measured by `npm run bench`, stage 4); the facades of node:net and
 * node:dns/promises cost about 1.5 ms more (bench/support/cold-start-breakdown.ts). node:http itself
 * loads on the first plain-http POST, which a deployment allows only with ALLOW_HTTP_DESTINATIONS, and
 * names resolve through node:dns, which node:net has loaded already (node:dns/promises would load two
 * more modules at every cold start).
 */
const https = process.getBuiltinModule("node:https");
const { isIP } = process.getBuiltinModule("node:net");
const { lookup } = process.getBuiltinModule("node:dns");

/** Resolves a host name to every address it has (A and AAAA). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    lookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

type HttpModule = typeof import("node:http");

/** The destination may not be reached: a private address, or a name that does not resolve. */
export class DestinationBlockedError extends Error {
  override readonly name = "DestinationBlockedError";
}

export interface HttpSenderOptions {
  timeoutMs: number;
  policy: DestinationPolicy;
  resolver?: Resolver;
  /** How many bytes of an answer are read before the connection is dropped. */
  maxResponseBytes?: number;
  /**
   * This process's own listening sockets, refused whatever the policy opens (functions/runtime.ts
   * passes them always; a sender without them, as in tests, shares its process with no service).
   */
  ownSockets?: OwnSockets;
}

/** How many policy decisions and parsed URLs a sender remembers (neither can go stale). */
const DECISIONS_KEPT = 4_096;

/**
 * node:http(s) with keep-alive agents. Chosen over undici: it costs nothing to load (undici is about
 * 700 KB minified and 70 ms of cold import, more than our whole bundle budget), and on Lambda one
 * function handles one batch at a time, so per-request speed matters less than start-up.
 * Every address of the host is checked before connecting, and the connection goes to the address
 * that was checked, so a second DNS answer cannot rebind the name to a private address.
 *
 * Per request it adds as little as it can to node:http (measured by `npm run bench`, stage 1): one
 * plain timer for the total timeout instead of `AbortSignal.timeout` (an AbortSignal and its
 * listeners cost about a third of a loopback POST), the address policy's answers remembered per
 * address, URLs parsed once, and no lookup hook when the URL names an address.
 */
export class NodeHttpSender implements HttpSender {
  private readonly agentOptions = {
    keepAlive: true,
    keepAliveMsecs: 1_000,
    maxSockets: 256,
    maxFreeSockets: 64,
    scheduling: "lifo" as const,
  };
  private readonly httpsAgent: InstanceType<typeof https.Agent>;
  /** node:http and its agent, made on the first plain-http POST. */
  private plain: { http: HttpModule; agent: InstanceType<HttpModule["Agent"]> } | undefined;
  private readonly resolver: Resolver;
  private readonly maxResponseBytes: number;
  private readonly decisions = new Map<string, boolean>();
  private readonly targets = new Map<string, { url: URL; literal: boolean }>();

  private readonly options: HttpSenderOptions;

  constructor(options: HttpSenderOptions) {
    this.options = options;
    this.httpsAgent = new https.Agent(this.agentOptions);
    this.resolver = options.resolver ?? systemResolver;
    this.maxResponseBytes = options.maxResponseBytes ?? 64 * 1024;
  }

  /** Whether the policy lets this literal address be reached, remembered. */
  private allows(address: string): boolean {
    let allowed = this.decisions.get(address);
    if (allowed === undefined) {
      allowed = this.options.policy.allows(address);
      if (this.decisions.size >= DECISIONS_KEPT) this.decisions.clear();
      this.decisions.set(address, allowed);
    }
    return allowed;
  }

  /**
   * Checks a URL's scheme, resolves and checks its host; throws DestinationBlockedError when it may
   * not be reached. The message says why without the addresses: the tenant reads it (the 422, the
   * attempt log), and the resolver's answers are the dispatcher's network, not theirs. A name that
   * does not resolve reads the same as a private one, so names of a private zone cannot be probed.
   */
  async checkedAddresses(url: URL): Promise<{ address: string; family: number }[]> {
    if (!this.options.policy.allowsScheme(url.protocol)) {
      throw new DestinationBlockedError(`${url.protocol.slice(0, -1)} URLs are not allowed: use https (ALLOW_HTTP_DESTINATIONS is off)`);
    }
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const refusal = `${host} must resolve, and only to publicly routable addresses`;
    const family = isIP(host);
    let addresses: { address: string; family: number }[];
    if (family !== 0) {
      addresses = [{ address: host, family }];
    } else {
      try {
        addresses = await this.resolver(host);
      } catch (cause) {
        throw new DestinationBlockedError(refusal, { cause });
      }
    }
    if (addresses.length === 0 || addresses.some((a) => !this.allows(a.address))) throw new DestinationBlockedError(refusal);
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    if (addresses.some((a) => this.options.ownSockets?.reaches(a.address, port))) {
      throw new DestinationBlockedError("the URL points at one of the dispatcher's own services");
    }
    return addresses;
  }

  /**
   * Never rejects and never throws: whatever goes wrong, synchronously or not, becomes a failed
   * attempt with a classified error. Node's client throws from inside `request()` and `end()` on
   * headers it refuses (an invalid character, `Trailer` on a sized body); one such endpoint must not
   * crash the process or fail a batch that holds other tenants' messages.
   */
  post(target: string, headers: Record<string, string>, body: string, limitMs?: number, watch?: SlowWatch): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const timeoutMs = limitMs === undefined ? this.options.timeoutMs : Math.min(limitMs, this.options.timeoutMs);
    return new Promise<SendResult>((resolve) => {
      let request: ClientRequest | undefined;
      let settled = false;
      // One timer bounds everything: resolving the name, connecting, sending, and reading the answer.
      const timer = setTimeout(() => {
        settle({ kind: "error", error: "timeout", message: `no answer within ${timeoutMs} ms`, durationMs: elapsed() });
        request?.destroy();
      }, timeoutMs);
      const slowTimer = watch && watch.afterMs < timeoutMs ? setTimeout(watch.onSlow, watch.afterMs) : undefined;
      const settle = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(slowTimer);
        resolve(result);
      };
      const refuse = (error: unknown) => {
        request?.destroy();
        settle({ kind: "error", error: "request_invalid", message: describeThrow(error), durationMs: elapsed() });
      };
      let parsedTarget: { url: URL; literal: boolean };
      try {
        parsedTarget = this.parsed(target);
      } catch (error) {
        refuse(error);
        return;
      }
      const { url, literal } = parsedTarget;
      this.checkedAddresses(url)
        .then(
          (pinned) => {
            if (settled) return;
            request = this.send(url, literal, pinned, headers, body, settle, elapsed, (r) => {
              request = r;
            });
          },
          (error: Error) => settle({ kind: "error", error: "destination_blocked", message: error.message, durationMs: elapsed() }),
        )
        .catch(refuse);
    });
  }

  /** The target parsed once (endpoints repeat), and whether its host is an address literal. */
  private parsed(target: string): { url: URL; literal: boolean } {
    let found = this.targets.get(target);
    if (!found) {
      const url = new URL(target);
      found = { url, literal: isIP(url.hostname.replace(/^\[|\]$/g, "")) !== 0 };
      if (this.targets.size >= DECISIONS_KEPT) this.targets.clear();
      this.targets.set(target, found);
    }
    return found;
  }

  private send(
    url: URL,
    literal: boolean,
    pinned: { address: string; family: number }[],
    headers: Record<string, string>,
    body: string,
    settle: (result: SendResult) => void,
    elapsed: () => number,
    created: (request: ClientRequest) => void,
  ): ClientRequest {
    const isHttps = url.protocol === "https:";
    const payload = Buffer.from(body);
    // A name connects to the address that was checked; an address literal needs no lookup at all.
    const lookup: LookupFunction | undefined = literal
      ? undefined
      : (_hostname, opts, callback) => {
          const first = pinned[0] as { address: string; family: number };
          if (opts.all) (callback as (e: null, a: typeof pinned) => void)(null, pinned);
          else callback(null, first.address, first.family);
        };
    const plain = isHttps ? undefined : this.plainHttp();
    const request = (plain ? plain.http : https).request(url, {
      method: "POST",
      agent: plain ? plain.agent : this.httpsAgent,
      headers: { ...headers, "content-length": String(payload.length) },
      ...(lookup && { lookup }),
    });
    // Known before end() runs, so a throw from end() can still destroy the request it leaves.
    created(request);
    request.on("error", (error: NodeJS.ErrnoException) =>
      settle({ kind: "error", error: "connection", message: describeThrow(error), durationMs: elapsed() }),
    );
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        if (size < this.maxResponseBytes) chunks.push(chunk);
        size += chunk.length;
        // A receiver that streams without end is cut off: its status is all we need.
        if (size > this.maxResponseBytes) response.destroy();
      });
      const finish = () => {
        const retryAfter = response.headers["retry-after"];
        settle({
          kind: "response",
          statusCode: response.statusCode ?? 0,
          body: chunks.length === 0 ? "" : Buffer.concat(chunks).subarray(0, this.maxResponseBytes).toString("utf8"),
          durationMs: elapsed(),
          ...(typeof retryAfter === "string" && { retryAfter }),
        });
      };
      response.on("end", finish);
      response.on("close", finish);
      response.on("error", () => undefined);
    });
    request.end(payload);
    return request;
  }

  private plainHttp(): { http: HttpModule; agent: InstanceType<HttpModule["Agent"]> } {
    if (!this.plain) {
      const http = process.getBuiltinModule("node:http");
      this.plain = { http, agent: new http.Agent(this.agentOptions) };
    }
    return this.plain;
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.plain?.agent.destroy();
    this.httpsAgent.destroy();
  }
}

/**
 * A thrown value as one line for the attempt log: Node's error code, then its message with every
 * address in it masked (`connect ECONNREFUSED 10.0.0.7:443`, a certificate's `IP: …`): the tenant
 * reads this line, and which address a name reached is the dispatcher's network.
 */
function describeThrow(error: unknown): string {
  const text = error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}` : String(error);
  return text
    .split(" ")
    .map((word) => (isAddress(word) ? "<address>" : word))
    .join(" ")
    .slice(0, 500);
}

/** An address as Node's messages write one: `a.b.c.d`, `a.b.c.d:port`, `::1`, `[::1]:port`, maybe before a comma. */
function isAddress(word: string): boolean {
  const bare = word.replace(/[,;]$/, "");
  return [bare, bare.replace(/:\d+$/, ""), bare.replace(/^\[(.*)\](:\d+)?$/, "$1")].some((candidate) => isIP(candidate) !== 0);
}
