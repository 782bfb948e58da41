import { loadAdminKey } from "../adapters/admin-key.ts";
import { createRuntime } from "../runtime.ts";
import { createApiHandler } from "./handler.ts";

/** Lambda entry point of the HTTP API. Wiring happens once per container. */
const runtime = createRuntime("api");
const { config } = runtime;
let adminKey: ReturnType<typeof loadAdminKey> | undefined;

export const handler = createApiHandler(
  {
    endpoints: runtime.endpoints,
    events: runtime.events,
    attempts: runtime.attempts,
    queue: runtime.queue,
    clock: runtime.clock,
    logRetentionDays: config.logRetentionDays,
    maxBodyBytes: config.maxBodyBytes,
    checkUrl: runtime.checkUrl,
  },
  () => {
    adminKey ??= loadAdminKey(config).catch((error: unknown) => {
      adminKey = undefined;
      throw error;
    });
    return adminKey;
  },
  runtime.log,
);
