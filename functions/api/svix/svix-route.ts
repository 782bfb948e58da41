import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Authenticator } from "../../core/access/api-keys.ts";
import type { Principal } from "../../core/access/principal.ts";
import type { ApiDeps } from "../api-deps.ts";

/*
 * One route of the Svix face (/api/v1), declared once: the router serves it and the face's own
 * API document (svix-document.ts) describes it. Kept apart from /v1's Route so that /v1's document
 * stays /v1's.
 */

export type SvixMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A route of the Svix face. */
export interface SvixRoute {
  method: SvixMethod;
  path: string;
  /** Svix's operation name, as in its OpenAPI document (e.g. v1.application.create). */
  operationId: string;
  summary: string;
  /** No key needed. */
  public?: true;
  /** Only the admin key may call it: what it does, for the 403. */
  admin?: string;
  /** The body's schema (a name in svix-schemas.ts) and the success status and body schema. */
  body?: string;
  /** `also`: a second success status with the same body (200 for an existing app, 201 for a PUT that creates). */
  success: { status: number; schema?: string; also?: number };
  /** Answers 501: the Svix feature this route needs is not in hookrelay yet (see docs/svix.md). */
  gap?: string;
  handler: (
    event: APIGatewayProxyEventV2,
    caller: Principal,
    deps: ApiDeps,
    authenticator: () => Promise<Authenticator>,
  ) => Promise<APIGatewayProxyStructuredResultV2>;
}

/** Every path of the Svix face starts so. */
export const SVIX_PREFIX = "/api/v1/";
