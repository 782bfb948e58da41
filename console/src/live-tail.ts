import { authorization, websocketUrl } from "./api.ts";
import { badge, h, replace, when } from "./dom.ts";
import type { FeedItem } from "./types.ts";

/*
 * A polling endpoint's live tail: the page follows the endpoint's feed over the WebSocket push
 * (docs/websocket.md) while it is shown. The credential goes in the subscribe frame, never in the
 * URL; the page acks what it drew, resumes from its last cursor after 4000, 1001 and 1006, and keeps
 * only the newest KEEP items.
 */

/** Items kept on the page: older ones are dropped as new ones come, so a busy feed costs bounded memory. */
export const KEEP = 50;
/** The close codes after which the page reconnects with its last cursor (the protocol's RECONNECT_CODES). */
const RECONNECT = new Set([4000, 1001, 1006]);
/** API Gateway closes a connection idle for 10 minutes: a ping every 4 keeps it open. */
const PING_EVERY_MS = 4 * 60_000;
/** Acks wait this long, so a burst is acked once (the server pumps when half its window is free). */
const ACK_DELAY_MS = 200;
const MAX_BACKOFF_MS = 30_000;

type Frame =
  | { type: "subscribed"; cursor: string; closeAt?: string }
  | { type: "item"; cursor: string; item: FeedItem }
  | { type: "item_ref"; cursor: string; id: string }
  | { type: "pong" }
  | { type: "close"; code: number; reason: string };

/** The live tail panel of a polling endpoint; it connects once shown and disconnects once the page leaves it. */
export function liveTailPanel(endpointId: string): HTMLElement {
  const state = h("span", { role: "status", class: "live-state" });
  const list = h("ol", { class: "live-items", "aria-label": "Live items, newest first" });
  const empty = h("p", { class: "muted" }, "Nothing yet: items show here as the feed accepts them.");
  const toggle = h("button", { type: "button" }, "Pause");
  const panel = h(
    "div",
    { class: "panel live-tail" },
    h("div", { class: "title-row" }, h("h2", {}, "Live tail"), state, toggle),
    h("p", { class: "muted" }, `The newest ${KEEP} items pushed over the WebSocket, newest first.`),
    empty,
    list,
  );
  let socket: WebSocket | undefined;
  let cursor: string | undefined;
  let ackTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let backoffMs = 1000;
  let paused = false;
  let lastPingMs = Date.now();

  const show = (text: string, tone: "ok" | "bad" | "warn" | "muted") => {
    replace(state, badge(text, tone));
    panel.dataset.state = text.split(" ")[0] ?? "";
  };

  const draw = (node: HTMLElement) => {
    empty.remove();
    list.prepend(node);
    while (list.children.length > KEEP) list.lastElementChild?.remove();
  };

  const ack = () => {
    ackTimer ??= setTimeout(() => {
      ackTimer = undefined;
      if (cursor && socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ action: "ack", cursor }));
    }, ACK_DELAY_MS);
  };

  const onFrame = (frame: Frame) => {
    if (frame.type === "subscribed") {
      cursor = frame.cursor;
      backoffMs = 1000;
      show("live", "ok");
    } else if (frame.type === "item") {
      cursor = frame.cursor;
      draw(itemRow(frame.item));
      ack();
    } else if (frame.type === "item_ref") {
      cursor = frame.cursor;
      draw(h("li", {}, h("code", {}, frame.id), " ", h("span", { class: "muted" }, "too large to push: read it from the feed")));
      ack();
    }
  };

  const connect = async () => {
    retryTimer = undefined;
    const url = await websocketUrl();
    const credential = authorization();
    if (!url || !credential) {
      show(url ? "closed: no credential" : "unavailable: this stack has no WebSocket push", "muted");
      return;
    }
    if (paused || !panel.isConnected) return;
    show(cursor ? "reconnecting" : "connecting", "warn");
    const ws = new WebSocket(url);
    socket = ws;
    let closeFrame: { code: number; reason: string } | undefined;
    ws.addEventListener("open", () =>
      ws.send(JSON.stringify({ action: "subscribe", endpointId, authorization: credential, ...(cursor && { cursor }) })),
    );
    ws.addEventListener("message", (event) => {
      let frame: Frame;
      try {
        frame = JSON.parse(String(event.data)) as Frame;
      } catch {
        return;
      }
      if (frame.type === "close") closeFrame = frame;
      else onFrame(frame);
    });
    ws.addEventListener("close", (event) => {
      if (socket !== ws) return;
      socket = undefined;
      // API Gateway closes with 1000 after its `close` frame: the frame carries the protocol's code.
      const code = closeFrame?.code ?? event.code;
      if (paused || !panel.isConnected) return;
      if (RECONNECT.has(code)) {
        show(`reconnecting (${code}) in ${Math.round(backoffMs / 1000)} s`, "warn");
        retryTimer = setTimeout(() => void connect(), backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      } else {
        // An expired cursor cannot resume: Resume starts again from the oldest item kept.
        if (code === 4410) cursor = undefined;
        show(`closed (${code}${closeFrame?.reason ? `: ${closeFrame.reason}` : ""})`, "bad");
        toggle.textContent = "Resume";
        paused = true;
      }
    });
  };

  const stop = () => {
    clearTimeout(retryTimer);
    clearTimeout(ackTimer);
    retryTimer = undefined;
    ackTimer = undefined;
    const ws = socket;
    socket = undefined;
    ws?.close(1000, "The page left the live tail");
  };

  toggle.addEventListener("click", () => {
    paused = !paused;
    toggle.textContent = paused ? "Resume" : "Pause";
    if (paused) {
      stop();
      show("paused", "muted");
    } else void connect();
  });

  // One timer: it pings within API Gateway's idle limit and closes the socket once the panel is gone
  // (another route, or the same one drawn again).
  const tick = setInterval(() => {
    if (!panel.isConnected) {
      clearInterval(tick);
      stop();
    } else if (socket?.readyState === WebSocket.OPEN && Date.now() - lastPingMs >= PING_EVERY_MS) {
      lastPingMs = Date.now();
      socket.send(JSON.stringify({ action: "ping" }));
    }
  }, 1000);
  show("connecting", "warn");
  // The panel is drawn after this returns: connect once it is on the page.
  setTimeout(() => void connect(), 0);
  return panel;
}

/** One item: when, its type and id, and (behind a disclosure) the signed body. */
function itemRow(item: FeedItem): HTMLElement {
  return h(
    "li",
    { "data-id": item.id },
    h("span", {}, when(item.timestamp)),
    " ",
    h("strong", {}, item.eventType),
    " ",
    h("code", {}, item.eventId),
    h("details", {}, h("summary", {}, "Body"), h("pre", {}, item.body)),
  );
}
