import { canSee } from "../access/principal.ts";
import { type AnyCreateEndpointInput, type DestinationRegistrationDeps, registerDestination } from "../destinations/registration.ts";
import { type AwsDestinationKind, isAwsKind, targetName } from "../destinations/targets.ts";
import { refuseWebhookFields } from "../feed/endpoint-kind.ts";
import type { Clock } from "../kernel/clock.ts";
import { mapWithConcurrency } from "../kernel/concurrency.ts";
import { ApiError, invalidFields } from "../kernel/errors.ts";
import { newId } from "../kernel/ids.ts";
import type { Endpoint, EndpointView } from "../kernel/model.ts";
import type { EndpointStore, Page } from "../kernel/ports.ts";
import { generateSecret } from "../kernel/signing.ts";
import { refuseOrderingChange } from "../ordering/ordering-rules.ts";
import {
  DEFAULT_RETRY_SCHEDULE_TEXT,
  fitsRetention,
  parseRetrySchedule,
  queueRetentionSeconds,
  scheduleWindowSeconds,
} from "../policy/retry-schedule.ts";
import type { UpdateEndpointInput } from "../requests/validation.ts";
import { ensureTenant, type TenantDeps } from "../tenants/tenant-record.ts";
import { changeEndpoint } from "./endpoint-change.ts";

/** Checks a destination URL before it is stored; throws ApiError when it may not be used. */
export type UrlCheck = (url: string) => Promise<void>;

export interface EndpointDeps extends TenantDeps {
  endpoints: EndpointStore;
  clock: Clock;
  checkUrl: UrlCheck;
  /** Most endpoints one tenant may hold (MAX_ENDPOINTS_PER_TENANT); a create beyond it answers 409 quota_exceeded. */
  maxEndpointsPerTenant: number;
  /** The delivery queue's retention: an endpoint's retry schedule must fit in it. @default that of the default schedule */
  queueRetentionSeconds?: number;
}

/** What registering an endpoint needs besides: what an AWS destination is checked against (functions/core/destinations/). */
export interface CreateEndpointDeps extends EndpointDeps {
  destinations: DestinationRegistrationDeps;
}

/** The API view of an endpoint: every field but the secrets. */
export function endpointView(endpoint: Endpoint): EndpointView {
  const { secret: _secret, previousSecrets: _previous, ...view } = endpoint;
  return view;
}

/** Refuses an endpoint retry schedule whose whole window, jitter included, would outlive the queue's retention. */
function checkSchedule(deps: EndpointDeps, schedule: number[] | null | undefined): void {
  if (!schedule) return;
  const retention = deps.queueRetentionSeconds ?? queueRetentionSeconds(parseRetrySchedule(DEFAULT_RETRY_SCHEDULE_TEXT));
  if (!fitsRetention(schedule, retention)) {
    throw invalidFields([
      {
        path: "retrySchedule",
        message: `spans ${scheduleWindowSeconds(schedule)} s with jitter; with a day's margin it must fit the queue's retention of ${retention} s`,
      },
    ]);
  }
}

/** What only the Svix face (/api/v1) sets on an endpoint: its uid and metadata. */
export interface EndpointNames {
  uid?: string | null;
  metadata?: Record<string, string>;
}

/** Registers an endpoint; the answer is the only one besides the secret route that shows the secret. */
export async function createEndpoint(deps: CreateEndpointDeps, input: AnyCreateEndpointInput & EndpointNames): Promise<Endpoint> {
  const webhook = input.kind === undefined || input.kind === "webhook" ? input : undefined;
  const aws = isAwsKind(input.kind) ? (input as Extract<AnyCreateEndpointInput, { kind: AwsDestinationKind }>) : undefined;
  const tenantId = input.tenantId ?? "default";
  if (webhook || aws) checkSchedule(deps, (webhook ?? aws)?.retrySchedule);
  if (webhook) await deps.checkUrl(webhook.url);
  const destination = aws && (await registerDestination(deps.destinations, aws, tenantId));
  const paced = webhook ?? aws;
  const now = deps.clock.now();
  const endpoint: Endpoint = {
    id: newId("ep", now.getTime()),
    tenantId,
    ...(!webhook && { kind: input.kind as Exclude<Endpoint["kind"], "webhook" | undefined> }),
    url: webhook?.url ?? (destination ? targetName(destination.target) : ""),
    ...(destination && { destination }),
    eventTypes: input.eventTypes,
    description: input.description,
    enabled: input.enabled ?? true,
    headers: webhook?.headers ?? {},
    secret: input.secret ?? generateSecret(),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    // A webhook endpoint is not yet known to answer fast: delivered from the slow lane until it has (see
    // delivery/lanes.ts). A polling endpoint's delivery is an append that waits on no receiver, and an
    // AWS destination's a put bounded by the SDK's own timeouts. An ordered endpoint takes no part in
    // lanes: its line is its lane (functions/core/ordering/).
    lane: webhook && webhook.ordering !== "fifo" ? "probation" : "fast",
    laneSince: now.toISOString(),
    ...(paced?.retrySchedule !== undefined && { retrySchedule: paced.retrySchedule }),
    ...(paced?.rateLimitPerSecond !== undefined && { rateLimitPerSecond: paced.rateLimitPerSecond }),
    ...(webhook?.ordering === "fifo" && { ordering: "fifo" as const }),
    ...(webhook?.signatureHeaders !== undefined && { signatureHeaders: webhook.signatureHeaders }),
    ...(input.enabled === false && { disabledReason: "manual" as const, disabledAt: now.toISOString() }),
    ...(input.uid && { uid: input.uid }),
    ...(input.metadata && { metadata: input.metadata }),
  };
  await ensureTenant(deps, endpoint.tenantId);
  if (!(await deps.endpoints.create(endpoint, deps.maxEndpointsPerTenant))) {
    throw new ApiError(
      "quota_exceeded",
      `Tenant ${endpoint.tenantId} holds ${deps.maxEndpointsPerTenant} endpoints, the most it may: delete one first`,
      [{ path: "tenantId", message: `holds ${deps.maxEndpointsPerTenant} endpoints already`, limit: deps.maxEndpointsPerTenant }],
    );
  }
  return endpoint;
}

/** The endpoint, or a 404 when there is none or it belongs to a tenant other than `confined`. */
export async function getEndpoint(deps: EndpointDeps, id: string, confined?: string): Promise<Endpoint> {
  const endpoint = await deps.endpoints.get(id);
  if (!endpoint || !canSee(confined, endpoint.tenantId)) throw new ApiError("not_found", `No endpoint ${id}`);
  return endpoint;
}

/**
 * Changes the given fields; `eventTypes`, `retrySchedule` or `rateLimitPerSecond` null return to
 * the default. Enabling a disabled endpoint clears its health record (why and when it was disabled,
 * its run of failures, its circuit), and a new URL clears the run and the circuit; disabling it by
 * hand records "manual".
 */
export async function updateEndpoint(
  deps: EndpointDeps,
  id: string,
  input: UpdateEndpointInput & EndpointNames,
  confined?: string,
): Promise<Endpoint> {
  checkSchedule(deps, input.retrySchedule);
  if (input.url !== undefined) await deps.checkUrl(input.url);
  return changeEndpoint(deps, id, confined, (current) => {
    refuseWebhookFields(current.kind, input);
    refuseOrderingChange(current, input.ordering);
    return patched(current, input, deps.clock.now().toISOString());
  });
}

function patched(current: Endpoint, input: UpdateEndpointInput & EndpointNames, now: string): Endpoint {
  if (input.enabled === true && !current.enabled) {
    for (const field of ["disabledReason", "disabledAt", "failingSince", "circuit"] as const) delete current[field];
  }
  // A new URL is a new destination: the old one's run of failures, circuit and lane say nothing about it.
  // Its recorded moves out of the fast lane stay: switching URLs must not wipe a cycling receiver's way back.
  if (input.url !== undefined && input.url !== current.url) {
    for (const field of ["failingSince", "circuit", "laneFastSuccesses"] as const) delete current[field];
    Object.assign(current, { lane: "probation", laneSince: now });
  }
  if (input.retrySchedule === null) delete current.retrySchedule;
  if (input.rateLimitPerSecond === null) delete current.rateLimitPerSecond;
  if (input.uid === null) delete current.uid;
  if (input.signatureHeaders === null) delete current.signatureHeaders;
  const updated: Endpoint = {
    ...current,
    ...(input.url !== undefined && { url: input.url }),
    ...(input.eventTypes !== undefined && { eventTypes: input.eventTypes ?? undefined }),
    ...(input.description !== undefined && { description: input.description }),
    ...(input.enabled !== undefined && { enabled: input.enabled }),
    ...(input.headers !== undefined && { headers: input.headers }),
    ...(input.retrySchedule && { retrySchedule: input.retrySchedule }),
    ...(input.rateLimitPerSecond && { rateLimitPerSecond: input.rateLimitPerSecond }),
    ...(input.uid && { uid: input.uid }),
    ...(input.metadata !== undefined && { metadata: input.metadata }),
    ...(input.signatureHeaders && { signatureHeaders: input.signatureHeaders }),
    ...(input.enabled === false && current.enabled && { disabledReason: "manual" as const, disabledAt: now }),
    updatedAt: now,
  };
  return updated;
}

/** Deletes the endpoint or answers 404. */
export async function deleteEndpoint(deps: EndpointDeps, id: string, confined?: string): Promise<void> {
  if (confined !== undefined) await getEndpoint(deps, id, confined);
  if (!(await deps.endpoints.delete(id))) throw new ApiError("not_found", `No endpoint ${id}`);
}

/** One page of a tenant's endpoints, secrets left out. */
export async function listEndpoints(deps: EndpointDeps, tenantId: string, limit: number, cursor?: string): Promise<Page<EndpointView>> {
  const page = await deps.endpoints.listByTenant(tenantId, limit, cursor);
  return { items: page.items.map(endpointView), nextCursor: page.nextCursor };
}

/**
 * One page of the tenant's endpoints among `ids`, in the order of the tenant's list (created, then
 * id): what a portal session limited to them lists. Its ids are at most 50, each read by id, so a
 * page costs at most 50 reads whatever the tenant holds, and is never short. The cursor is the
 * position of the last endpoint shown.
 */
export async function listEndpointsAmong(
  deps: Pick<EndpointDeps, "endpoints">,
  tenantId: string,
  ids: readonly string[],
  limit: number,
  cursor?: string,
): Promise<Page<EndpointView>> {
  const position = (e: Endpoint) => `${e.createdAt}#${e.id}`;
  const found = await mapWithConcurrency([...new Set(ids)], 16, (id) => deps.endpoints.get(id));
  const after = found
    .filter((e): e is Endpoint => e?.tenantId === tenantId && (cursor === undefined || position(e) > cursor))
    .sort((a, b) => (position(a) < position(b) ? -1 : 1));
  const items = after.slice(0, limit);
  const tail = items.at(-1);
  return { items: items.map(endpointView), nextCursor: after.length > limit && tail ? position(tail) : undefined };
}
