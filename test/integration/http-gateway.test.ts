import http from "node:http";
import net from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpGateway } from "../../local/http-gateway.ts";

/*
 * The local gateway's early answers (413, 400, 408, 431) against real clients on 127.0.0.1: a
 * keep-alive node:http Agent, and raw sockets for what node:http will not send. Each early answer
 * must arrive, close its connection (the unread rest of a body is no next request), and close it
 * without a reset, so a client still writing does not lose the answer; the next request succeeds.
 */
const MAX = 64 * 1024;
type Gateway = Awaited<ReturnType<typeof startHttpGateway>>;
let gateway: Gateway;
let slow: Gateway;
const echo = async (event: { body?: string; requestContext: { http: { method: string } } }) => ({
  statusCode: 200,
  headers: { "content-type": "text/plain" },
  body: `${event.requestContext.http.method} ${event.body?.length ?? 0}`,
});

beforeAll(async () => {
  gateway = await startHttpGateway(echo as never, 0, () => undefined, { maxPayloadBytes: MAX, lingerMs: 10_000 });
  // Short timeouts, for the 408s.
  slow = await startHttpGateway(echo as never, 0, () => undefined, {
    lingerMs: 10_000,
    requestTimeoutMs: 800,
    headersTimeoutMs: 600,
    timeoutCheckMs: 100,
  });
});

afterAll(async () => {
  await gateway.stop();
  await slow.stop();
});

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
  socket: net.Socket;
  error?: string;
}

interface Shape {
  size: number;
  /** Chunk sizes of a chunked body; undefined sends one piece with a Content-Length. */
  chunks?: number[];
  expectContinue?: boolean;
  headers?: Record<string, string>;
}

/** One request through `agent`; resolves with the answer, and notes an error that follows it. */
function request(url: string, agent: http.Agent, shape: Shape): Promise<Answer> {
  const body = Buffer.alloc(shape.size, "a");
  const headers: Record<string, string> = { "content-type": "text/plain", ...shape.headers };
  if (!shape.chunks) headers["content-length"] = String(shape.size);
  if (shape.expectContinue) headers.expect = "100-continue";
  return new Promise((resolve, reject) => {
    let socket: net.Socket | undefined;
    let answer: Answer | undefined;
    const req = http.request(`${url}/echo`, { method: "POST", agent, headers });
    req.on("socket", (s) => {
      socket = s;
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (answer) answer.error = error.code ?? error.message;
      else reject(error);
    });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        text += c;
      });
      res.on("end", () => {
        answer = { status: res.statusCode ?? 0, connection: res.headers.connection, body: text, socket: socket as net.Socket };
        // Refused before the body was sent: a client gives up on sending it.
        if (shape.expectContinue && !sent) req.destroy();
        resolve(answer);
      });
    });
    let sent = false;
    const write = async () => {
      sent = true;
      if (!shape.chunks) return void req.end(body);
      let at = 0;
      for (const size of shape.chunks) {
        if (at >= body.length || req.destroyed) break;
        req.write(body.subarray(at, at + size));
        at += size;
        await new Promise((r) => setImmediate(r));
      }
      if (at < body.length && !req.destroyed) req.write(body.subarray(at));
      if (!req.destroyed) req.end();
    };
    if (shape.expectContinue) req.on("continue", () => void write());
    else void write();
  });
}

/** Sends `shape`, then a small request on the same single-socket keep-alive agent. */
async function thenNext(url: string, shape: Shape) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await request(url, agent, shape);
    const next = await request(url, agent, { size: 3 });
    return { first, next };
  } finally {
    agent.destroy();
  }
}

const chunkings = fc.option(fc.array(fc.integer({ min: 1, max: 40_000 }), { minLength: 1, maxLength: 12 }), { nil: undefined });

describe("local gateway: a body over the payload limit", () => {
  it("is answered 413 on a closed connection, and the next request succeeds on a new one (generated sizes and chunkings)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: MAX + 1, max: 4 * MAX }), fc.integer({ min: MAX + 1, max: MAX + 3 })),
        chunkings,
        fc.boolean(),
        async (size, chunks, expectContinue) => {
          const { first, next } = await thenNext(gateway.url, { size, chunks, expectContinue });
          expect(first).toMatchObject({ status: 413, connection: "close", body: '{"message":"Request Entity Too Large"}' });
          expect(first.error).toBeUndefined();
          expect(next).toMatchObject({ status: 200, body: "POST 3" });
          expect(next.socket).not.toBe(first.socket);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("within the limit keeps the connection for the next request (generated sizes and chunkings)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: MAX }), chunkings, fc.boolean(), async (size, chunks, expectContinue) => {
        const { first, next } = await thenNext(gateway.url, { size, chunks, expectContinue });
        expect(first).toMatchObject({ status: 200, body: `POST ${size}` });
        expect(next).toMatchObject({ status: 200, body: "POST 3" });
        expect(next.socket).toBe(first.socket);
      }),
      { numRuns: 25 },
    );
  });

  it("at the real 10 MiB limit, declared or chunked", async () => {
    const real = await startHttpGateway(echo as never, 0, () => undefined);
    try {
      for (const chunks of [undefined, [1 << 20]]) {
        const { first, next } = await thenNext(real.url, { size: 10 * 1024 * 1024 + 1, chunks });
        expect(first).toMatchObject({ status: 413, connection: "close" });
        expect(next).toMatchObject({ status: 200, body: "POST 3" });
        expect(next.socket).not.toBe(first.socket);
      }
    } finally {
      await real.stop();
    }
  });
});

describe("local gateway: headers over Node's limit", () => {
  it("are answered 431 on a closed connection, and the next request succeeds (generated sizes)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 17_000, max: 80_000 }), fc.integer({ min: 0, max: 2 * MAX }), async (headerSize, size) => {
        const { first, next } = await thenNext(gateway.url, { size, headers: { "x-padding": "p".repeat(headerSize) } });
        expect(first).toMatchObject({ status: 431, connection: "close" });
        expect(first.error).toBeUndefined();
        expect(next).toMatchObject({ status: 200, body: "POST 3" });
        expect(next.socket).not.toBe(first.socket);
      }),
      { numRuns: 15 },
    );
  });
});

/**
 * A raw connection: writes `head`, reads the answer up to the server's half-close, then writes
 * `after` (a client still sending its body) and closes. Resolves with the answer and whether the
 * server reset the connection instead of reading what followed.
 */
function raw(url: string, head: string | Buffer, after: Buffer): Promise<{ answer: string; reset: boolean }> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ port: Number(port), host: "127.0.0.1", allowHalfOpen: true });
    let answer = "";
    let reset = false;
    socket.setEncoding("latin1");
    socket.on("data", (c: string) => {
      answer += c;
    });
    socket.on("error", () => {
      reset = true;
    });
    // A server that closed instead of reading answers the first write with a reset; the second
    // write, a turn later, then fails.
    socket.on("end", () => {
      socket.write(after, () => setImmediate(() => socket.end("x")));
    });
    socket.on("close", () => resolve({ answer, reset }));
    socket.write(head);
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1]);
const closes = (answer: string) => /\r\nconnection: close\r\n/i.test(answer);

async function nextSucceeds(url: string) {
  const { first } = await thenNext(url, { size: 3 });
  expect(first).toMatchObject({ status: 200, body: "POST 3" });
}

describe("local gateway: early answers close gently", () => {
  it("a declared oversized body: 413, then what the client still sends is read, not reset (generated)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: MAX + 1, max: 8 * MAX }), fc.nat({ max: 4 * MAX }), async (declared, rest) => {
        const head = `POST /echo HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: ${declared}\r\n\r\n`;
        const { answer, reset } = await raw(gateway.url, head, Buffer.alloc(Math.min(rest, declared), "a"));
        expect(statusOf(answer)).toBe(413);
        expect(closes(answer)).toBe(true);
        expect(reset).toBe(false);
      }),
      { numRuns: 20 },
    );
    await nextSucceeds(gateway.url);
  });

  const malformed = fc.oneof(
    fc.constant("POST /echo HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n"),
    fc.constant("POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\n"),
    fc.constant("POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n"),
    fc.stringMatching(/^[a-z]{1,8}$/).map((name) => `GET /echo HTTP/1.1\r\nhost: x\r\n${name} bad: 1\r\n\r\n`),
    fc.stringMatching(/^[a-z]{1,8}$/).map((junk) => `${junk}\x00 / HTTP/1.1\r\n\r\n`),
    // HTTP/1.1 without Host, with a body that stays unread.
    fc.constant("POST /echo HTTP/1.1\r\ncontent-length: 4\r\n\r\n"),
  );

  it("a malformed request or one without Host: 400, closed without a reset (generated)", async () => {
    await fc.assert(
      fc.asyncProperty(malformed, fc.nat({ max: 2 * MAX }), async (head, rest) => {
        const { answer, reset } = await raw(gateway.url, head, Buffer.alloc(rest, "a"));
        expect(statusOf(answer)).toBe(400);
        expect(closes(answer)).toBe(true);
        expect(reset).toBe(false);
      }),
      { numRuns: 25 },
    );
    await nextSucceeds(gateway.url);
  });

  it("a request that stalls in its headers or its body: 408, closed without a reset (generated)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant("POST /echo HTTP/1.1\r\nhost: x\r\n"),
          fc.nat({ max: 99 }).map((n) => `POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n${"a".repeat(n)}`),
        ),
        fc.nat({ max: MAX }),
        async (head, rest) => {
          const { answer, reset } = await raw(slow.url, head, Buffer.alloc(rest, "a"));
          expect(statusOf(answer)).toBe(408);
          expect(closes(answer)).toBe(true);
          expect(reset).toBe(false);
        },
      ),
      { numRuns: 6 },
    );
    await nextSucceeds(slow.url);
  });
});
