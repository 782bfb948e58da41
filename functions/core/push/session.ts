import { decodeCursor, encodeCursor } from "../feed/cursor.ts";
import { readFeed } from "../feed/read.ts";
import { ApiError } from "../kernel/errors.ts";
import { authenticateSubscribe, endpointFor } from "./credentials.ts";
import {
  CONNECTION_TTL_SECONDS,
  DEADLINE_BACKSTOP_MS,
  IDLE_TIMEOUT_SECONDS,
  MAX_CONNECTION_MS,
  type PushConnection,
  type PushDeps,
  type PushPosition,
  SUBSCRIBE_DEADLINE_MS,
} from "./deps.ts";
import { CLOSE, type ClientFrame, closeReason, PushCloseError, parseClientFrame, serverFrame } from "./protocol.ts";
import { closeConnection, pump } from "./pump.ts";

/*
 * The push channel's entry points, one per WebSocket route: $connect, $default (every frame),
 * $disconnect, and the sweep (a schedule in AWS, a timer locally). Handlers call these and nothing else.
 */

/**
 * $connect: the connection is recorded, not yet subscribed; it has SUBSCRIBE_DEADLINE_MS to send its
 * subscribe, and its deadline is scheduled. A failure throws: API Gateway refuses the connection
 * (the client reconnects), rather than leave it open with no deadline but the sweep's backstop.
 */
export async function connect(deps: Pick<PushDeps, "connections" | "deadlines" | "clock">, connectionId: string): Promise<void> {
  const now = deps.clock.now().getTime();
  await deps.connections.open({ id: connectionId, connectedAtMs: now }, Math.floor(now / 1000) + CONNECTION_TTL_SECONDS);
  await deps.deadlines.schedule(connectionId, SUBSCRIBE_DEADLINE_MS);
}

/**
 * The deadline of one connection has passed: closed with 4401 unless it subscribed (or is gone).
 * The clock is not asked: the queue delivers no sooner than the delay, and containers' clocks differ.
 */
export async function expireUnsubscribed(deps: Pick<PushDeps, "connections" | "channel">, connectionId: string): Promise<void> {
  const found = await deps.connections.get(connectionId);
  if (!found || found.connection.subscription) return;
  await closeConnection(deps, connectionId, CLOSE.unauthorized, `No subscribe within ${SUBSCRIBE_DEADLINE_MS / 1000} s`);
}

/** $disconnect: the connection is forgotten. */
export async function disconnect(deps: Pick<PushDeps, "connections">, connectionId: string): Promise<void> {
  await deps.connections.remove(connectionId);
}

/** $default: one frame from the client; a refused frame closes the connection with its code. */
export async function receive(deps: PushDeps, connectionId: string, text: string): Promise<void> {
  try {
    const found = await deps.connections.get(connectionId);
    // A connection the store does not know (its record expired, or a local stack restarted under it) starts again.
    if (!found) throw new PushCloseError(CLOSE.serverClosing, "Unknown connection: reconnect");
    const frame = firstOrLater(found.connection, text);
    if (!found.connection.subscription) {
      if (frame.action !== "subscribe") throw new PushCloseError(CLOSE.unauthorized, "The first frame must be a subscribe");
      await subscribe(deps, found.connection, frame);
    } else if (frame.action === "ping") {
      await deps.channel.send(connectionId, serverFrame({ type: "pong" }));
      return;
    } else if (frame.action === "ack") {
      const acked = await ack(deps, found.connection, found.position, frame.cursor);
      // An ack pumps only when it takes the window from over half full to half free: a pump the
      // window cut short left it full, so the acks after it cross that line once, and the pump sends
      // half a window at once. A window never over half full held nothing back (the stream and the
      // sweep push appends), so the acks of a consumer that keeps up cost no pump.
      const pushed = found.position?.pushed ?? [];
      const before = pushed.filter((seq) => seq >= (found.position?.ackedNext ?? 0)).length;
      const after = pushed.filter((seq) => seq >= acked).length;
      const half = deps.settings.window / 2;
      if (!(before > half && after <= half)) return;
    } else {
      throw new PushCloseError(CLOSE.badFrame, "Already subscribed: one subscription per connection");
    }
  } catch (error) {
    if (!(error instanceof PushCloseError)) throw error;
    await closeConnection(deps, connectionId, error.code, error.message);
    return;
  }
  await pump(deps, connectionId);
}

/** The frame; before a subscription anything but a well-formed subscribe is unauthorized (4401), a too-large frame 4413 either way. */
function firstOrLater(connection: PushConnection, text: string): ClientFrame {
  try {
    return parseClientFrame(text);
  } catch (error) {
    if (connection.subscription || !(error instanceof PushCloseError) || error.code === CLOSE.frameTooLarge) throw error;
    throw new PushCloseError(CLOSE.unauthorized, `The first frame must be a subscribe: ${error.message}`);
  }
}

async function subscribe(deps: PushDeps, connection: PushConnection, frame: Extract<ClientFrame, { action: "subscribe" }>) {
  const { principal, credential } = await authenticateSubscribe(deps, frame.authorization);
  const confined = principal.kind === "admin" ? undefined : principal.tenantId;
  const endpoint = await endpointFor(deps, frame.endpointId, confined, credential);
  const { perEndpoint, perTenant } = deps.settings;
  if ((await deps.connections.ofEndpoint(endpoint.id)).length >= perEndpoint) {
    throw new PushCloseError(CLOSE.overCap, `Endpoint ${endpoint.id} has ${perEndpoint} connections already (MAX_SOCKETS_PER_ENDPOINT)`);
  }
  if ((await deps.connections.ofTenant(endpoint.tenantId)).length >= perTenant) {
    throw new PushCloseError(CLOSE.overCap, `Tenant ${endpoint.tenantId} has ${perTenant} connections already (MAX_SOCKETS_PER_TENANT)`);
  }
  const head = await deps.feed.head(endpoint.id);
  deps.cursorKeys.remember(endpoint.id, head.cursorKey);
  const from = frame.cursor === undefined ? undefined : decode(head.cursorKey, endpoint.id, frame.cursor);
  // A read of no items: where a cursor-less read starts (the oldest item kept), or the cursor's own position.
  const start = from ?? (await readFeed({ ...deps, settings: deps.settings }, endpoint.id, undefined, 0, head)).position;
  const now = deps.clock.now().getTime();
  const position: PushPosition = {
    ...start,
    pushed: [],
    ackedNext: start.next,
    ackedAtMs: now,
    windowSinceMs: now,
    checkedAtMs: now,
    leaseUntilMs: 0,
    version: 0,
    pokes: 0,
  };
  const subscribed = { ...connection, subscription: { tenantId: endpoint.tenantId, endpointId: endpoint.id, credential } };
  await deps.connections.subscribe(subscribed, position, Math.floor(now / 1000) + CONNECTION_TTL_SECONDS);
  const closeAt = new Date(connection.connectedAtMs + MAX_CONNECTION_MS).toISOString();
  const cursor = encodeCursor(head.cursorKey, endpoint.id, start);
  const window = deps.settings.window;
  await deps.channel.send(
    connection.id,
    serverFrame({ type: "subscribed", endpointId: endpoint.id, cursor, window, closeAt, idleTimeoutSeconds: IDLE_TIMEOUT_SECONDS }),
  );
}

async function ack(deps: PushDeps, connection: PushConnection, position: PushPosition | undefined, cursor: string): Promise<number> {
  const endpointId = connection.subscription?.endpointId as string;
  const acked = await decodeAck(deps, endpointId, cursor);
  // A cursor past what this connection was pushed (another connection's) acks only what it was pushed.
  const next = Math.max(Math.min(acked.next, position?.next ?? acked.next), position?.ackedNext ?? 0);
  await deps.connections.ack(connection.id, next, deps.clock.now().getTime());
  return next;
}

/** An ack's cursor, decoded with the remembered key, or with the head's when none is remembered or it refuses the cursor. */
async function decodeAck(deps: Pick<PushDeps, "feed" | "cursorKeys">, endpointId: string, cursor: string) {
  const remembered = deps.cursorKeys.get(endpointId);
  if (remembered !== undefined) {
    try {
      return decodeCursor(remembered, endpointId, cursor);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }
  const head = await deps.feed.head(endpointId);
  deps.cursorKeys.remember(endpointId, head.cursorKey);
  return decode(head.cursorKey, endpointId, cursor);
}

function decode(key: string, endpointId: string, cursor: string) {
  try {
    return decodeCursor(key, endpointId, cursor);
  } catch (error) {
    if (error instanceof ApiError) throw new PushCloseError(CLOSE.badFrame, "`cursor` is not one this feed gave out");
    throw error;
  }
}

/**
 * The sweep: closes connections that did not subscribe and whose deadline message was lost
 * (SUBSCRIBE_DEADLINE_MS + DEADLINE_BACKSTOP_MS after connecting, 4401) or that reach
 * their 2-hour limit (4000), and pumps the others, which checks their credentials when due and
 * pushes what was appended since. Locally it runs every 250 ms, in AWS every minute (appends are
 * pushed by the table's stream; the sweep bounds the rest).
 */
export async function sweep(deps: PushDeps): Promise<void> {
  const now = deps.clock.now().getTime();
  for (const connection of await deps.connections.all()) {
    if (!connection.subscription) {
      if (now - connection.connectedAtMs >= SUBSCRIBE_DEADLINE_MS + DEADLINE_BACKSTOP_MS) {
        const reason = `No subscribe within ${SUBSCRIBE_DEADLINE_MS / 1000} s (found by the sweep)`;
        await closeConnection(deps, connection.id, CLOSE.unauthorized, reason);
      }
    } else if (now - connection.connectedAtMs >= MAX_CONNECTION_MS) {
      await closeConnection(
        deps,
        connection.id,
        CLOSE.serverClosing,
        closeReason("The connection's 2-hour limit: reconnect with your last cursor"),
      );
    } else {
      await pump(deps, connection.id);
    }
  }
}

/** Pushes what was appended to an endpoint's feed to each of its connections (the table stream's handler). */
export async function pushEndpoint(deps: PushDeps, endpointId: string): Promise<void> {
  for (const connection of await deps.connections.ofEndpoint(endpointId)) await pump(deps, connection.id);
}
