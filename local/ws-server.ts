import { randomUUID } from "node:crypto";
import http from "node:http";
import type { Context } from "aws-lambda";
import { WebSocket, WebSocketServer } from "ws";
import type { PushChannel } from "../functions/core/push/deps.ts";
import { MAX_OUTBOUND_BYTES, serverFrame } from "../functions/core/push/protocol.ts";
import type { PushEvent } from "../functions/push/handler.ts";
import { lambdaContext } from "./http-gateway.ts";
import { closeServer, listenOnLoopback } from "./loopback.ts";

type PushHandler = (event: PushEvent, context: Context) => Promise<unknown>;

/** How often the local server sweeps: in place of the table's stream (dynalite has none), it is what pushes an append. */
export const LOCAL_SWEEP_MS = 250;

/**
 * The local stack's WebSocket push channel: sockets by connection id. Unlike API Gateway it closes
 * with the protocol's code itself, after the same `close` frame.
 */
export class LocalSocketChannel implements PushChannel {
  readonly sockets = new Map<string, WebSocket>();

  async send(connectionId: string, frame: string): Promise<boolean> {
    const socket = this.sockets.get(connectionId);
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    await new Promise<void>((resolve, reject) => socket.send(frame, (error) => (error ? reject(error) : resolve())));
    return true;
  }

  async close(connectionId: string, code: number, reason: string): Promise<void> {
    if (await this.send(connectionId, serverFrame({ type: "close", code, reason }))) this.sockets.get(connectionId)?.close(code, reason);
  }
}

/**
 * API Gateway's WebSocket API in front of the push handler, on 127.0.0.1: each connection, frame and
 * close becomes the $connect, $default or $disconnect event API Gateway would send (one frame at a
 * time per connection), and a timer sweeps every LOCAL_SWEEP_MS as the schedule and the stream do in AWS.
 */
export async function startWsServer(handler: PushHandler, channel: LocalSocketChannel, port: number, onError: (e: unknown) => void) {
  const server = http.createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" }).end("Upgrade to WebSocket\n");
  });
  // API Gateway's message limit; frames over the protocol's inbound bound are refused by the handler with 4413.
  const wss = new WebSocketServer({ server, maxPayload: MAX_OUTBOUND_BYTES });
  const invoke = (routeKey: string, connectionId: string, body?: string) =>
    handler(
      {
        requestContext: { routeKey, connectionId, eventType: routeKey === "$default" ? "MESSAGE" : routeKey.slice(1).toUpperCase() },
        body,
        isBase64Encoded: false,
      } as never,
      lambdaContext("push"),
    ).catch(onError);
  wss.on("connection", (socket) => {
    const connectionId = randomUUID();
    channel.sockets.set(connectionId, socket);
    let chain = invoke("$connect", connectionId);
    socket.on("message", (data, isBinary) => {
      const text = isBinary ? "" : data.toString();
      chain = chain.then(() => invoke("$default", connectionId, text));
    });
    socket.on("close", () => {
      chain = chain.then(() => {
        channel.sockets.delete(connectionId);
        return invoke("$disconnect", connectionId);
      });
    });
    socket.on("error", onError);
  });
  // ws re-emits its HTTP server's errors on itself: unheard, a busy port would crash the process.
  // listenOnLoopback rejects with a listen error; what comes after listening is the stack's to log.
  wss.on("error", (error) => {
    if (server.listening) onError(error);
  });
  const url = (await listenOnLoopback(server, port)).replace(/^http:/, "ws:");
  let sweeping: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    // No socket open, nothing to sweep: an idle local stack makes no reads for the push.
    if (channel.sockets.size === 0) return;
    sweeping ??= handler({ sweep: true }, lambdaContext("push"))
      .catch(onError)
      .finally(() => {
        sweeping = undefined;
      });
  }, LOCAL_SWEEP_MS);
  return {
    url,
    /** Closes every connection with 1001 (going away: clients reconnect), then stops. */
    async stop(): Promise<void> {
      clearInterval(timer);
      await sweeping;
      for (const socket of wss.clients) socket.close(1001, "The local stack is stopping");
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const socket of wss.clients) socket.terminate();
      await closeServer(server);
    },
  };
}
