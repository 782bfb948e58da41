import { canSee } from "../access/principal.ts";
import { ApiError } from "../kernel/errors.ts";
import type { Endpoint } from "../kernel/model.ts";
import type { EndpointStore } from "../kernel/ports.ts";

/** Conflicting writes retried before giving up: each is a write that landed in between, so a few suffice. */
const CHANGE_TRIES = 5;

/**
 * Reads the endpoint, applies `change` and writes the result only if nobody wrote the endpoint in
 * between (a worker's health transition, a concurrent PATCH or rotation); otherwise reads it again.
 */
export async function changeEndpoint(
  deps: { endpoints: Pick<EndpointStore, "get" | "replace"> },
  id: string,
  confined: string | undefined,
  change: (current: Endpoint) => Endpoint,
): Promise<Endpoint> {
  for (let tries = 0; tries < CHANGE_TRIES; tries++) {
    const current = await deps.endpoints.get(id);
    if (!current || !canSee(confined, current.tenantId)) throw new ApiError("not_found", `No endpoint ${id}`);
    const updated = change(current);
    if (await deps.endpoints.replace(updated)) return { ...updated, revision: (current.revision ?? 0) + 1 };
  }
  throw new ApiError("concurrent_update", `Endpoint ${id} kept changing while it was being updated; try again`);
}
