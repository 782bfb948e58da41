import middy from "@middy/core";
import httpRouterHandler from "@middy/http-router";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { AdminKey } from "../adapters/admin-key.ts";
import type { Log } from "../adapters/logger.ts";
import { ApiError } from "../core/errors.ts";
import { bearerKey } from "./request.ts";
import { errorResponse } from "./response.ts";
import { type ApiDeps, routes } from "./routes.ts";

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

/** The API Lambda: bearer auth on every route but health, routing, and one error shape for every failure. */
export function createApiHandler(deps: ApiDeps, adminKey: () => Promise<AdminKey>, log: Log) {
  const router = httpRouterHandler(routes(deps) as Parameters<typeof httpRouterHandler>[0]);
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use({
      before: async (request: Request) => {
        if (request.event.rawPath === "/v1/health") return;
        const presented = bearerKey(request.event);
        if (!presented || !(await adminKey()).matches(presented)) {
          throw new ApiError("unauthorized", "Send a valid API key as Authorization: Bearer <key>");
        }
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
