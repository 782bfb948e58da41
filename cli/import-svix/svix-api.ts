/*
 * The few calls of Svix's API that `hookrelay import-svix` makes, over fetch: the same calls on a
 * Svix server (the source) and on hookrelay's Svix-compatible API (the target).
 */

/** An answer that was not a success, with what the server said. */
export class SvixAnswerError extends Error {
  override readonly name = "SvixAnswerError";
  readonly status: number;
  constructor(status: number, what: string, body: string) {
    super(`${what} answered ${status}: ${body.slice(0, 300)}`);
    this.status = status;
  }
}

/** A Svix API at `serverUrl` with `token`: JSON calls and lists walked page by page. */
export interface SvixApi {
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  all<T>(path: string): Promise<T[]>;
}

/** The API over fetch; a trailing slash of the URL is dropped (1.x SDKs would send `//api/v1`). */
export function svixApi(serverUrl: string, token: string, fetcher: typeof fetch = fetch): SvixApi {
  const base = serverUrl.replace(/\/+$/, "");
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetcher(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        ...(body !== undefined && { "content-type": "application/json" }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new SvixAnswerError(response.status, `${method} ${path}`, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return {
    call,
    async all<T>(path: string): Promise<T[]> {
      const items: T[] = [];
      let iterator: string | null | undefined;
      do {
        const query = `limit=100${iterator ? `&iterator=${encodeURIComponent(iterator)}` : ""}`;
        const page = await call<{ data: T[]; iterator?: string | null; done: boolean }>("GET", `${path}?${query}`);
        items.push(...page.data);
        iterator = page.done ? undefined : page.iterator;
      } while (iterator);
      return items;
    },
  };
}
