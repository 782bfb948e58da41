import type { Clock } from "../kernel/clock.ts";
import type { Endpoint } from "../kernel/model.ts";
import type { EndpointStore } from "../kernel/ports.ts";
import { generateSecret } from "../kernel/signing.ts";
import { changeEndpoint } from "./endpoint-change.ts";

/** Svix's default grace period: the old secret keeps signing for a day. */
export const DEFAULT_GRACE_PERIOD_SECONDS = 86_400;
/** At most 7 days, as Svix. */
export const MAX_GRACE_PERIOD_SECONDS = 7 * 86_400;
/** Rotated-out secrets kept signing at once, at most. */
const MAX_PREVIOUS = 5;

/** The secrets that sign a delivery at `now`: the current one first, then each rotated-out one still in its grace period. */
export function signingSecrets(endpoint: Endpoint, now: Date): string[] {
  const live = (endpoint.previousSecrets ?? []).filter((p) => Date.parse(p.expiresAt) > now.getTime()).map((p) => p.secret);
  return [endpoint.secret, ...live.filter((s) => s !== endpoint.secret)];
}

/**
 * Replaces the endpoint's secret (with `secret`, or a new one) and keeps the old one signing for
 * `gracePeriodSeconds` (0: it and every earlier secret stop at once); returns the updated endpoint.
 */
export async function rotateSecret(
  deps: { endpoints: Pick<EndpointStore, "get" | "replace">; clock: Clock },
  id: string,
  input: { gracePeriodSeconds?: number; secret?: string },
  confined?: string,
): Promise<Endpoint> {
  const now = deps.clock.now();
  const grace = input.gracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS;
  const secret = input.secret ?? generateSecret();
  return changeEndpoint(deps, id, confined, (endpoint): Endpoint => {
    // A grace of 0 (a leaked secret) stops every previous secret at once, not only the one replaced.
    const still = grace > 0 ? (endpoint.previousSecrets ?? []).filter((p) => Date.parse(p.expiresAt) > now.getTime()) : [];
    const retiring = grace > 0 ? [{ secret: endpoint.secret, expiresAt: new Date(now.getTime() + grace * 1000).toISOString() }] : [];
    return {
      ...endpoint,
      secret,
      previousSecrets: [...retiring, ...still].slice(0, MAX_PREVIOUS),
      updatedAt: now.toISOString(),
    };
  });
}

/** GET /v1/endpoints/{id}/secret: the current secret, and when each previous one stops signing (never its value). */
export function secretView(endpoint: Endpoint, now: Date) {
  const previous = (endpoint.previousSecrets ?? [])
    .filter((p) => Date.parse(p.expiresAt) > now.getTime())
    .map((p) => ({ expiresAt: p.expiresAt }));
  return { secret: endpoint.secret, ...(previous.length > 0 && { previous }) };
}
