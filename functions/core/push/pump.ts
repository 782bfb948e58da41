import { encodeCursor } from "../feed/cursor.ts";
import { feedItems } from "../feed/items.ts";
import { readFeed } from "../feed/read.ts";
import { ApiError } from "../kernel/errors.ts";
import { recheck } from "./credentials.ts";
import { ACK_TIMEOUT_MS, PUMP_LEASE_MS, type PushConnection, type PushDeps, type PushPosition, RECHECK_MS } from "./deps.ts";
import { CLOSE, closeReason, itemFrame, PushCloseError } from "./protocol.ts";

/*
 * Pushing a connection's feed. A pump takes the connection's lease (a write over the version it
 * read), reads the feed from the connection's position with the feed's own reader (so the hole rule
 * is the feed's: nothing is pushed past a number that may still be filled), sends the items, then
 * writes the new position and frees the lease. Sends come before the position moves: a pump that
 * dies mid-way leaves the old position, and the next one sends those items again (at least once,
 * same webhook-id), never past a gap. The lease keeps two pumps of one connection from interleaving.
 */

/** Rounds of one pump at most: each pushes up to a window, so a pump ends even while appends keep coming. */
const MAX_ROUNDS = 50;

/**
 * Pushes what the connection's window and the feed allow, round after round, until nothing more
 * goes; closes it on a refusal. A pump that finds the lease held does not wait: it pokes the holder
 * and looks once more; a holder that was poked since it claimed reads again before it lets go. A
 * poke that came after the holder's last look finds the lease free on its second look.
 */
export async function pump(deps: PushDeps, connectionId: string): Promise<void> {
  let poked = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const found = await deps.connections.get(connectionId);
    if (!found?.position || !found.connection.subscription) return;
    const { connection, position } = found;
    const now = deps.clock.now().getTime();
    if (position.leaseUntilMs > now) {
      if (poked) return;
      await deps.connections.poke(connectionId);
      poked = true;
      continue;
    }
    if (round === 0 && (await nothingToDo(deps, connection, position, now))) return;
    const claimed = { ...position, leaseUntilMs: now + PUMP_LEASE_MS, version: position.version + 1 };
    if (!(await deps.connections.move(connectionId, claimed, position.version))) continue;
    let outcome: { sent: number; more: boolean };
    try {
      outcome = await pushOnce(deps, connection, claimed, now);
    } catch (error) {
      const refusal = asRefusal(error);
      if (!refusal) {
        await deps.connections.move(connectionId, { ...claimed, leaseUntilMs: 0, version: claimed.version + 1 }, claimed.version);
        throw error;
      }
      await closeConnection(deps, connectionId, refusal.code, refusal.message);
      return;
    }
    // Another round only when this one left items it had room for (a page cut by its byte budget,
    // or a hole) or a pump poked meanwhile: a round that reached the head or filled the window ends it.
    if (!outcome.more && ((await deps.connections.get(connectionId))?.position?.pokes ?? 0) === claimed.pokes) return;
  }
}

/**
 * True when a pump would only read and write back: the feed has allocated no number at or past the
 * connection's position, no recheck is due and no window waits on the ack timeout. Two reads instead
 * of a claim, a feed read and a settle: what most acks and every idle sweep cost.
 */
async function nothingToDo(deps: PushDeps, connection: PushConnection, position: PushPosition, now: number): Promise<boolean> {
  const unacked = position.pushed.some((seq) => seq >= position.ackedNext);
  if (now - position.checkedAtMs >= RECHECK_MS) return false;
  if (unacked && now - Math.max(position.windowSinceMs, position.ackedAtMs) > ACK_TIMEOUT_MS) return false;
  const endpointId = connection.subscription?.endpointId as string;
  return (await deps.feed.head(endpointId)).seq < position.next;
}

/**
 * One round under the lease: the items that fit the window, sent, then the position written; returns
 * how many were sent and whether more are allocated that the window had room for.
 */
async function pushOnce(
  deps: PushDeps,
  connection: PushConnection,
  claimed: PushPosition,
  now: number,
): Promise<{ sent: number; more: boolean }> {
  const subscription = connection.subscription as NonNullable<PushConnection["subscription"]>;
  const due = now - claimed.checkedAtMs >= RECHECK_MS;
  const endpoint = due ? await recheck(deps, connection) : await deps.endpoints.get(subscription.endpointId);
  if (!endpoint) throw new PushCloseError(CLOSE.notFound, `No endpoint ${subscription.endpointId}`);
  const unacked = claimed.pushed.filter((seq) => seq >= claimed.ackedNext);
  if (unacked.length > 0 && now - Math.max(claimed.windowSinceMs, claimed.ackedAtMs) > ACK_TIMEOUT_MS) {
    throw new PushCloseError(CLOSE.serverClosing, `No ack for ${ACK_TIMEOUT_MS / 1000} s: reconnect with your last cursor`);
  }
  const room = deps.settings.window - unacked.length;
  const head = await deps.feed.head(endpoint.id);
  deps.cursorKeys.remember(endpoint.id, head.cursorKey);
  const from = { next: claimed.next, floorMs: claimed.floorMs };
  const page =
    room > 0 ? await readFeed({ ...deps, settings: deps.settings }, endpoint.id, from, room, head) : { entries: [], position: from };
  const items = feedItems(page.entries, endpoint, new Date(now));
  for (const [i, item] of items.entries()) {
    const entry = page.entries[i] as (typeof page.entries)[number];
    // Each item's cursor resumes just after it; the floor of the read's start bounds every later slot's allocation.
    const position = i === items.length - 1 ? page.position : { next: entry.seq + 1, floorMs: from.floorMs };
    if (!(await deps.channel.send(connection.id, itemFrame(encodeCursor(head.cursorKey, endpoint.id, position), item)))) {
      await deps.connections.remove(connection.id);
      return { sent: 0, more: false };
    }
  }
  const settled: PushPosition = {
    ...claimed,
    next: page.position.next,
    floorMs: page.position.floorMs,
    pushed: [...unacked, ...page.entries.map((entry) => entry.seq)],
    windowSinceMs: unacked.length === 0 && page.entries.length > 0 ? now : claimed.windowSinceMs,
    checkedAtMs: due ? now : claimed.checkedAtMs,
    leaseUntilMs: 0,
    version: claimed.version + 1,
  };
  // Refused only when the lease ran out and another pump took over: it sends from the old position (duplicates, no gap).
  await deps.connections.move(connection.id, settled, claimed.version);
  const sent = page.entries.length;
  return { sent, more: sent > 0 && sent < room && page.position.next <= head.seq };
}

function asRefusal(error: unknown): PushCloseError | undefined {
  if (error instanceof PushCloseError) return error;
  if (error instanceof ApiError && error.code === "cursor_expired") return new PushCloseError(CLOSE.cursorExpired, error.message);
  return undefined;
}

/** Sends the `close` frame, closes the connection and forgets it. */
export async function closeConnection(deps: Pick<PushDeps, "channel" | "connections">, connectionId: string, code: number, reason: string) {
  await deps.channel.close(connectionId, code, closeReason(reason));
  await deps.connections.remove(connectionId);
}
