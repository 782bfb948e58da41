import { confinedTenant } from "../core/access/principal.ts";
import { getEndpoint } from "../core/endpoints/endpoints.ts";
import { rotateSecret, secretView } from "../core/endpoints/secret-rotation.ts";
import { parse, RotateSecret } from "../core/requests/validation.ts";
import { optionalJsonBody, pathParam } from "./request.ts";
import { json } from "./response.ts";
import type { Route } from "./route.ts";

/*
 * An endpoint's signing secret: read it, rotate it.
 */

export const getSecretRoute: Route = {
  method: "GET",
  path: "/v1/endpoints/{id}/secret",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "getEndpointSecret",
      tag: "Endpoints",
      summary: "The endpoint's signing secret",
      description: "The only place besides creation that shows it; `previous` lists when rotated-out secrets stop signing.",
      success: { status: 200, description: "The secret", schema: R.Secret },
    };
  },
  handler: async (e, caller, deps) =>
    json(200, secretView(await getEndpoint(deps, pathParam(e, "id"), confinedTenant(caller)), deps.clock.now())),
};

export const rotateSecretRoute: Route = {
  method: "POST",
  path: "/v1/endpoints/{id}/secret/rotate",
  portal: true,
  doc: (R) => {
    DOC: return {
      operationId: "rotateEndpointSecret",
      tag: "Endpoints",
      summary: "Rotate the signing secret",
      description: "The old secret keeps signing for the grace period (default 86400 s, at most 7 days).",
      body: { schema: RotateSecret, optional: true, example: { gracePeriodSeconds: 3600 } },
      success: { status: 200, description: "The new secret", schema: R.Secret },
      errors: ["concurrent_update"],
    };
  },
  handler: async (e, caller, deps) => {
    const input = parse(RotateSecret, optionalJsonBody(e, deps.maxBodyBytes));
    const rotated = await rotateSecret(deps, pathParam(e, "id"), input, confinedTenant(caller));
    return json(200, secretView(rotated, deps.clock.now()));
  },
};
