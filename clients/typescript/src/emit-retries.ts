/** The idempotent emit: a call that failed on our side is repeated with the same key. */
import type { Client } from "openapi-fetch";
import { HookrelayError } from "./errors.ts";
import type { paths } from "./schema.ts";
import type { AcceptedEvent, EmitEvent } from "./types.ts";

/** How often, and how long at most between, `emit` repeats a call that failed on our side. */
export interface EmitRetries {
  emitRetries: number;
  maxRetryDelayMs: number;
}

/**
 * POST /v1/events with the idempotency key `key`, repeated while the failure is ours (503 or no
 * answer), up to `emitRetries` times, after the API's Retry-After or a doubling wait.
 */
export async function emitWithRetries(
  raw: Client<paths>,
  event: EmitEvent,
  key: string,
  retries: EmitRetries,
): Promise<AcceptedEvent & { replayed: boolean }> {
  for (let attempt = 0; ; attempt++) {
    try {
      const { data, error, response } = await raw.POST("/v1/events", {
        body: event,
        params: { header: { "idempotency-key": key } },
      });
      if (response.ok && data) return { ...data, replayed: response.headers.get("idempotent-replayed") === "true" };
      throw new HookrelayError(response.status, error, response.headers.get("retry-after"));
    } catch (failure) {
      const ours = !(failure instanceof HookrelayError) || failure.status === 503;
      if (!ours || attempt >= retries.emitRetries) throw failure;
      const asked =
        failure instanceof HookrelayError && failure.retryAfterSeconds !== undefined
          ? failure.retryAfterSeconds * 1000
          : 2 ** attempt * 250;
      await new Promise((resolve) => setTimeout(resolve, Math.min(asked, retries.maxRetryDelayMs)));
    }
  }
}
