import { svixDocument } from "../../functions/api/svix/svix-document.ts";
import { SVIX_ROUTES } from "../../functions/api/svix/svix-routes.ts";
import { ContractChecker } from "./contract.ts";

/**
 * A fetch for Svix's SDKs that holds every answer of the Svix face to the shapes it serves
 * (functions/api/svix/svix-schemas.ts, written from Svix's OpenAPI document), strictly: required
 * fields, types, RFC 3339 times, integer enums, nothing undocumented. Problems are collected for the
 * test to assert on.
 */
export function svixContractFetch() {
  const checker = new ContractChecker(svixDocument(SVIX_ROUTES) as never);
  const problems: string[] = [];
  const checkedFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const text = await response.clone().text();
    problems.push(
      ...checker.problems({
        method: init?.method ?? (input instanceof Request ? input.method : "GET"),
        // 1.x with a trailing slash in serverUrl sends //api/v1/…, which the face reads as /api/v1/….
        path: `${url.pathname.replace(/^\/\//, "/")}${url.search}`,
        status: response.status,
        contentType: response.headers.get("content-type"),
        body: text ? JSON.parse(text) : undefined,
      }),
    );
    return response;
  };
  return { fetch: checkedFetch, problems, seen: checker.seen };
}
