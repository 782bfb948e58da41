import { randomUUID } from "node:crypto";
import http from "node:http";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { answerAndClose, answerClientError } from "./lingering-close.ts";
import { closeServer, listenOnLoopback } from "./loopback.ts";

type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** How much the gateway takes, and how long it lingers on a connection it closes (tests shrink them). */
export interface GatewayLimits {
  /** API Gateway's own payload limit for HTTP APIs. */
  maxPayloadBytes: number;
  /** How long a connection closed after an early answer keeps dropping what the client still sends. */
  lingerMs: number;
  /** Node's request and header timeouts (408), and how often it checks them. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  timeoutCheckMs: number;
}

const DEFAULT_LIMITS: GatewayLimits = {
  maxPayloadBytes: 10 * 1024 * 1024,
  lingerMs: 2_000,
  requestTimeoutMs: 300_000,
  headersTimeoutMs: 60_000,
  timeoutCheckMs: 30_000,
};
const TEXT_TYPES = /^(application\/([a-z0-9.+-]*\+)?(json|xml|x-www-form-urlencoded)|text\/)/i;
const TOO_LARGE = { statusCode: 413, headers: { "content-type": "application/json" }, body: '{"message":"Request Entity Too Large"}' };
const NO_HOST = { statusCode: 400, headers: { "content-type": "application/json" }, body: '{"message":"Bad Request"}' };

/**
 * An HTTP API (payload format 2.0) in front of the API handler: each request becomes the event API
 * Gateway would send, and the handler's structured result becomes the response. Every answer given
 * before the body was read to its end closes the connection (lingering-close.ts).
 */
export async function startHttpGateway(
  handler: ApiHandler,
  port: number,
  onError: (e: unknown) => void,
  limits: Partial<GatewayLimits> = {},
) {
  const { maxPayloadBytes, lingerMs, requestTimeoutMs, headersTimeoutMs, timeoutCheckMs } = { ...DEFAULT_LIMITS, ...limits };
  const serve = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      // Node's own missing-Host answer would close without lingering.
      if (req.httpVersion === "1.1" && req.headers.host === undefined) return answerAndClose(req, res, NO_HOST, lingerMs);
      const body = declaredLength(req) > maxPayloadBytes ? undefined : await readBody(req, maxPayloadBytes);
      if (body === undefined) return answerAndClose(req, res, TOO_LARGE, lingerMs);
      const result = await handler(toEvent(req, body), lambdaContext());
      send(res, result);
    } catch (error) {
      onError(error);
      if (!res.headersSent)
        send(res, { statusCode: 500, headers: { "content-type": "application/json" }, body: '{"message":"Internal Server Error"}' });
    }
  };
  const server = http.createServer(
    {
      requireHostHeader: false,
      requestTimeout: requestTimeoutMs,
      headersTimeout: headersTimeoutMs,
      connectionsCheckingInterval: timeoutCheckMs,
    },
    serve,
  );
  // `Expect: 100-continue` (curl sends it for bodies over 1 MB): refuse an oversized body before it is sent.
  server.on("checkContinue", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (declaredLength(req) > maxPayloadBytes) return answerAndClose(req, res, TOO_LARGE, lingerMs);
    res.writeContinue();
    void serve(req, res);
  });
  server.on("clientError", answerClientError(lingerMs));
  server.keepAliveTimeout = 5_000;
  return { url: await listenOnLoopback(server, port), stop: () => closeServer(server) };
}

function declaredLength(req: http.IncomingMessage): number {
  return Number(req.headers["content-length"] ?? 0);
}

/** The body, or undefined as soon as it passes `max` bytes (the rest is left to answerAndClose). */
function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off("data", onData).off("end", onEnd).off("error", reject);
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on("data", onData).once("end", onEnd).once("error", reject);
  });
}

function toEvent(req: http.IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  // Appended, not resolved: a path starting with // (Svix 1.x SDKs with a trailing slash) stays a path, not a host.
  const url = new URL(`http://localhost${req.url ?? "/"}`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== "cookie") headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const isText = TEXT_TYPES.test(headers["content-type"] ?? "");
  const now = new Date();
  const method = req.method ?? "GET";
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: req.headers.cookie?.split(/;\s*/),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: headers.host ?? "127.0.0.1",
      domainPrefix: "local",
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? "",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length === 0 ? undefined : isText ? body.toString("utf8") : body.toString("base64"),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

function send(res: http.ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers = { ...result.headers } as Record<string, string | string[]>;
  if (result.cookies?.length) headers["set-cookie"] = result.cookies;
  const body = result.body === undefined ? "" : result.isBase64Encoded ? Buffer.from(result.body, "base64") : result.body;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

/** The parts of a Lambda context our handlers and middy read. */
export function lambdaContext(functionName = "local"): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
