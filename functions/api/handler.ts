import middy from "@middy/core";
import httpRouterHandler from "@middy/http-router";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Log } from "../adapters/logger.ts";
import type { Authenticator } from "../core/api-keys.ts";
import { ApiError } from "../core/errors.ts";
import type { Principal } from "../core/principal.ts";
import { CONSOLE_PATH, isConsolePath, serveConsole } from "./console-page.ts";
import { consoleRoutes } from "./console-routes.ts";
import { bearerKey } from "./request.ts";
import { errorResponse } from "./response.ts";
import { type ApiDeps, routes } from "./routes.ts";

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

const PUBLIC_PATHS = new Set(["/v1/health", "/v1/openapi.json"]);

/** The API Lambda: bearer auth on every route but health and the API document, routing, and one error shape for every failure. */
export function createApiHandler(deps: ApiDeps, authenticator: () => Promise<Authenticator>, log: Log) {
  const callers = new WeakMap<APIGatewayProxyEventV2, Principal>();
  const pages = [CONSOLE_PATH, `${CONSOLE_PATH}/{asset}`].map((path) => ({ method: "GET" as const, path, handler: serveConsole }));
  const table = [...routes(deps), ...consoleRoutes(deps)].map((route) => ({
    ...route,
    handler: (event: APIGatewayProxyEventV2) => route.handler(event, callers.get(event) ?? { kind: "tenant", tenantId: "", keyId: "" }),
  }));
  const router = httpRouterHandler([...table, ...pages] as Parameters<typeof httpRouterHandler>[0]);
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use({
      before: async (request: Request) => {
        if (PUBLIC_PATHS.has(request.event.rawPath) || isConsolePath(request.event.rawPath)) return;
        const presented = bearerKey(request.event);
        const caller = presented === undefined ? undefined : await (await authenticator()).authenticate(presented);
        if (!caller) throw new ApiError("unauthorized", "Send a valid API key as Authorization: Bearer <key>");
        callers.set(request.event, caller);
      },
      onError: async (request: Request) => {
        const { response, unexpected } = errorResponse(request.error);
        if (unexpected) log.error("unexpected API error", { error: String(request.error), stack: (request.error as Error)?.stack });
        else if (response.statusCode === 503)
          log.warn("dependency failure", { error: String((request.error as Error)?.cause ?? request.error) });
        request.response = response;
      },
    })
    .handler(router as never);
}
