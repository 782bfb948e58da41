import type { ApiKeyDeps } from "../core/access/api-keys.ts";
import type { LaneExitRule } from "../core/delivery/lane-exit.ts";
import type { CreateEndpointDeps } from "../core/endpoints/endpoints.ts";
import type { EventTypeDeps } from "../core/event-types/event-types.ts";
import type { FeedApiDeps } from "../core/feed/deps.ts";
import type { IntakeDeps } from "../core/intake/intake.ts";
import type { AttemptLog, EventStore, RecoveryStore, Requeue } from "../core/kernel/ports.ts";
import type { TenantDeletionStore, TenantEraser } from "../core/lifecycle/tenant-deletion.ts";
import type { SvixMemo } from "../core/svix/memo.ts";

/*
 * What the API's routes are given, in a leaf file: the route declarations, the route table and the
 * handler all import it, and it imports none of them.
 */

export interface ApiDeps extends CreateEndpointDeps, Omit<IntakeDeps, "eventTypes">, ApiKeyDeps, EventTypeDeps, FeedApiDeps {
  events: EventStore;
  attempts: AttemptLog;
  maxBodyBytes: number;
  /** Recoveries (POST /v1/endpoints/{id}/recover) and the queue their steps go through. */
  recoveries: RecoveryStore;
  requeue: Requeue;
  /** PORTAL_FRAME_ANCESTORS: the origins that may frame the portal; unset, none may. */
  portalFrameAncestors?: string;
  /** API_ROUTES: which routes this function answers (`api`: long polls go elsewhere; `feed`: the feed only). */
  apiRoutes: ApiRoutes;
  /** FEED_URL: the feed function's own URL, when it has one; /v1/health tells it. */
  feedUrl?: string;
  /** What the Svix face (/api/v1) remembers: idempotency keys' answers, message ids' events. */
  svixMemo: SvixMemo;
  /** WEBSOCKET_URL: the WebSocket push URL, when the stack has one; /v1/health tells it. */
  websocketUrl?: string;
  /** The lane settings an endpoint's way back to the fast lane is shown by. */
  laneExit: LaneExitRule;
  /** Tenant deletions: the tombstone and job (DELETE /v1/tenants/{id}); the eraser's steps name the job's first. */
  deletions: TenantDeletionStore;
  eraser: Pick<TenantEraser, "steps">;
}

/** What one function of the API serves: every route (`all`, the local stack), all but long polls (`api`), or the feed (`feed`). */
export type ApiRoutes = "all" | "api" | "feed";
