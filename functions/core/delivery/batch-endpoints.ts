import type { Endpoint } from "../kernel/model.ts";
import type { EndpointLookup } from "./deps.ts";
import type { EndpointChange } from "./health.ts";

/**
 * The endpoints of one batch: each read once, and each health transition a delivery makes applied
 * here, so that the rest of the batch sees it (a circuit opened, an endpoint disabled). The copies
 * handed out are never changed in place; a transition replaces the batch's copy.
 */
export class BatchEndpoints {
  private readonly store: EndpointLookup;
  private readonly endpoints = new Map<string, Promise<Endpoint | undefined>>();

  constructor(store: EndpointLookup) {
    this.store = store;
  }

  /** The endpoint as this batch knows it now (undefined: deleted). */
  get(id: string): Promise<Endpoint | undefined> {
    let found = this.endpoints.get(id);
    if (!found) {
      found = this.store.get(id);
      this.endpoints.set(id, found);
    }
    return found;
  }

  /** Applies a transition's changed fields to the batch's copy. */
  async apply(id: string, change: EndpointChange): Promise<void> {
    if (Object.keys(change).length === 0) return;
    const current = await this.get(id);
    if (current) this.endpoints.set(id, Promise.resolve({ ...current, ...change }));
  }
}
