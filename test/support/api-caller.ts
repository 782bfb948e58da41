import type { Context } from "aws-lambda";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import type { ApiDeps } from "../../functions/api/api-deps.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { apiEvent } from "./api-event.ts";

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };

/** The API handler over `deps` with the admin key "admin-key", called as API Gateway would: the status and the parsed body. */
export function apiCaller(deps: ApiDeps) {
  const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);
  return async (...args: Parameters<typeof apiEvent>) => {
    const response = await handler(apiEvent(...args), {} as Context);
    return { status: response.statusCode, json: response.body ? JSON.parse(response.body) : undefined };
  };
}
