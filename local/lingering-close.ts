import http from "node:http";
import type { Socket } from "node:net";

/*
 * An answer given before the request was read to its end (413, 400, 408, 431) must close the
 * connection, or the unread rest of the body is parsed as the next request on it. It must close it
 * gently: a socket destroyed with unread bytes makes the kernel send a reset, and a client still
 * writing its body can lose the answer with it (RFC 9112 section 9.6). So: `Connection: close`,
 * a half-close once the answer is written, then whatever the client still sends is read and
 * dropped (never buffered) until it closes its side, or for at most `lingerMs`.
 */

const lingering = new WeakSet<Socket>();

/** Sends `result` with `Connection: close`, dropping the rest of the request body, then closes gently. */
export function answerAndClose(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  result: { statusCode: number; headers: Record<string, string>; body: string },
  lingerMs: number,
): void {
  const socket = req.socket;
  // A data listener keeps the parser reading the body, and drops each chunk as it comes.
  req.on("data", () => undefined);
  req.on("error", () => undefined);
  res.once("finish", () => {
    // Node ends and then destroys a `Connection: close` socket as soon as the answer is written; take
    // back the destroy (the half-close stays) and linger instead.
    socket.removeListener("finish", socket.destroy);
    lingerThenClose(socket, lingerMs);
  });
  res.writeHead(result.statusCode, { ...result.headers, "content-length": String(Buffer.byteLength(result.body)), connection: "close" });
  res.end(result.body);
}

/**
 * A `clientError` listener: answers what Node's parser refused (header limits, a malformed request,
 * a request or header timeout) as Node would, but closes gently.
 */
export function answerClientError(lingerMs: number) {
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    // A lingering socket reports the bytes it drops, or a body cut short, as more parser errors.
    if (lingering.has(socket)) return;
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = statusFor(error.code);
    const body = JSON.stringify({ message: http.STATUS_CODES[status] });
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
    lingerThenClose(socket, lingerMs);
  };
}

/** The status Node itself answers for each parser error (lib/_http_server.js, socketOnError). */
function statusFor(code: string | undefined): number {
  if (code === "HPE_HEADER_OVERFLOW") return 431;
  if (code === "HPE_CHUNK_EXTENSIONS_OVERFLOW") return 413;
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") return 408;
  return 400;
}

/** Half-closes, then destroys the socket once the client closed its side, or after `lingerMs`. */
function lingerThenClose(socket: Socket, lingerMs: number): void {
  if (socket.destroyed || lingering.has(socket)) return;
  lingering.add(socket);
  socket.end();
  const timer = setTimeout(() => socket.destroy(), lingerMs);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
  // After a parser error nothing reads the socket any more: read and drop here. (While the parser
  // still runs it consumes the socket itself and this listener sees nothing.)
  socket.on("data", () => undefined);
  socket.once("end", () => closeOnceWritten(socket));
  socket.resume();
}

function closeOnceWritten(socket: Socket): void {
  if (socket.writableFinished) socket.destroy();
  else socket.once("finish", () => socket.destroy());
}
