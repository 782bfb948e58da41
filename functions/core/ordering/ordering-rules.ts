import { invalidFields } from "../kernel/errors.ts";
import type { Endpoint, Ordering } from "../kernel/model.ts";

/*
 * What an endpoint's `ordering` may be, and when. Decided here once (docs/ordering.md):
 * - a polling endpoint refuses "fifo": its feed is in append order, which concurrent workers make
 *   differ from emission order, and sending its appends through the ordered line would slow every
 *   feed to one append at a time; a webhook endpoint is the ordered kind;
 * - `ordering` is fixed at creation: a PATCH naming another ordering is refused, since the
 *   deliveries already queued on the old line would overtake, or be overtaken by, those on the new
 *   one. Create a second endpoint with the ordering you want, then disable the first.
 */

/** The field's words when a polling endpoint asks for "fifo". */
export const POLLING_FIFO =
  'cannot be "fifo" on a polling endpoint: its feed is in append order, which concurrent deliveries make differ from emission order; use a webhook endpoint';

/** Throws 422 naming `ordering` when a create asks for "fifo" on a polling endpoint. */
export function refusePollingFifo(raw: unknown): void {
  if (typeof raw !== "object" || raw === null) return;
  const { kind, ordering } = raw as { kind?: unknown; ordering?: unknown };
  if (kind === "polling" && ordering === "fifo") throw invalidFields([{ path: "ordering", message: POLLING_FIFO }]);
}

/** The endpoint's ordering as the API shows it. */
export function orderingOf(endpoint: Pick<Endpoint, "ordering">): Ordering {
  return endpoint.ordering === "fifo" ? "fifo" : "none";
}

/** Whether the endpoint's deliveries go through the ordered queue. */
export function isOrdered(endpoint: Pick<Endpoint, "ordering"> | undefined): boolean {
  return endpoint?.ordering === "fifo";
}

/** Throws 422 naming `ordering` when a PATCH asks for an ordering other than the endpoint's own. */
export function refuseOrderingChange(current: Pick<Endpoint, "ordering">, asked: Ordering | undefined): void {
  if (asked === undefined || asked === orderingOf(current)) return;
  throw invalidFields([
    {
      path: "ordering",
      message: `cannot change from "${orderingOf(current)}" to "${asked}" on an existing endpoint: deliveries already queued would overtake or be overtaken; create a new endpoint with "ordering": "${asked}" instead`,
    },
  ]);
}
