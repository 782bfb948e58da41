import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Principal } from "../core/access/principal.ts";

/** A route: the handler gets the request and who is calling (undefined only on the public health route). */
export interface Route {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  handler: (event: APIGatewayProxyEventV2, caller: Principal) => Promise<APIGatewayProxyStructuredResultV2>;
}
