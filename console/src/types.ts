/**
 * The API's shapes as the console reads them: the generated client's types (from docs/openapi.json),
 * never hand-written copies, so a change to the document shows up here as a type error. Types only:
 * `import type` leaves nothing in the bundle.
 */
import type { paths } from "../../clients/typescript/src/index.ts";

export type {
  Attempt,
  Endpoint,
  EndpointStats,
  ErrorBody,
  ErrorCode,
  FeedItem,
  OrderedLine,
  Recovery,
  Secret,
} from "../../clients/typescript/src/index.ts";

type Method = "get" | "post" | "patch" | "delete";
type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : never;

/** The JSON body of the 2xx answer of `method` on `path`, as the API document declares it. */
export type Answer<P extends keyof paths, M extends Method> = paths[P][M] extends { responses: infer Rs }
  ? JsonOf<Rs[keyof Rs & (200 | 201 | 202)]>
  : never;

/** The JSON request body of `method` on `path`, as the API document declares it. */
export type Body<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;
