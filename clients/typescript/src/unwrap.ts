/** The mapping of every wrapped call's answer: its body on 2xx, a HookrelayError otherwise. */
import { HookrelayError } from "./errors.ts";

/** What openapi-fetch answers a call with. */
export type Result<T> = { data?: T; error?: unknown; response: Response };

/** The answer's body on 2xx; a HookrelayError otherwise. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new HookrelayError(response.status, error, response.headers.get("retry-after"));
  return data as T;
}
