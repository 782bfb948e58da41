/**
 * WebSocket push's settings (docs/websocket.md): the window of unacked items and the connection caps.
 * Part of the settings table (settings.ts spreads them in, in this order); like it, this imports
 * only the settings' types.
 */
import type { Setting } from "./setting-kinds.ts";

export const PUSH_SETTINGS = {
  pushWindow: {
    kind: "whole",
    env: "PUSH_WINDOW",
    prop: "pushWindow",
    // A slow WebSocket consumer costs at most this many items in flight; 100 is one feed page.
    default: 100,
    min: 1,
    max: 1000,
    unit: "count",
    meaning: "items a WebSocket connection is pushed and has not acked, at most; the next waits for an ack (docs/websocket.md)",
  },
  maxSocketsPerEndpoint: {
    kind: "whole",
    env: "MAX_SOCKETS_PER_ENDPOINT",
    prop: "maxSocketsPerEndpoint",
    // A consumer, a dashboard and a reconnect whose old connection API Gateway has not closed yet.
    default: 5,
    min: 1,
    max: 100,
    unit: "count",
    meaning: "WebSocket connections subscribed to one polling endpoint at once; one more is closed with 4429",
  },
  maxSocketsPerTenant: {
    kind: "whole",
    env: "MAX_SOCKETS_PER_TENANT",
    prop: "maxSocketsPerTenant",
    default: 50,
    min: 1,
    max: 10_000,
    unit: "count",
    atLeast: "maxSocketsPerEndpoint",
    meaning: "WebSocket connections subscribed at once over all of one tenant's endpoints; one more is closed with 4429",
  },
} as const satisfies Record<string, Setting>;
