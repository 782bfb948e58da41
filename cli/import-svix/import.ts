import type { ApplicationOut, EndpointOut } from "svix-2";
import type { SvixApi } from "./svix-api.ts";

/*
 * Copies applications and their endpoints, with their secrets, from a Svix server to hookrelay's
 * Svix-compatible API. Each app keeps its uid (or, without one, its Svix id as its uid, which
 * hookrelay keeps as the app's id); each endpoint keeps its uid (or its Svix id as uid), URL,
 * filters, headers, metadata and secret, so receivers keep verifying with the secret they hold.
 * Running it again copies only what is missing: an endpoint whose uid the app holds is kept.
 */

// Svix's own shapes, from its SDK's types (2.x); 1.x servers name two fields differently.
type App = ApplicationOut;
type Endpoint = EndpointOut & { filterTypes?: string[] | null; rateLimit?: number | null };

/** What one run did. */
export interface ImportReport {
  apps: number;
  copied: number;
  kept: number;
  failed: { app: string; endpoint: string; reason: string }[];
}

/** Copies every app and endpoint of `from` to `to`, printing a line per endpoint. */
export async function importSvix(from: SvixApi, to: SvixApi, print: (line: string) => void): Promise<ImportReport> {
  const report: ImportReport = { apps: 0, copied: 0, kept: 0, failed: [] };
  for (const app of await from.all<App>("/api/v1/app")) {
    const uid = app.uid ?? app.id;
    await to.call("POST", "/api/v1/app?get_if_exists=true", { name: app.name, uid, metadata: app.metadata ?? {} });
    report.apps++;
    const there = new Set((await to.all<Endpoint>(`/api/v1/app/${encodeURIComponent(uid)}/endpoint`)).map((e) => e.uid));
    for (const endpoint of await from.all<Endpoint>(`/api/v1/app/${encodeURIComponent(app.id)}/endpoint`)) {
      const endpointUid = endpoint.uid ?? endpoint.id;
      if (there.has(endpointUid)) {
        report.kept++;
        print(`kept    ${uid} ${endpointUid} (already here)`);
        continue;
      }
      try {
        const path = `/api/v1/app/${encodeURIComponent(app.id)}/endpoint/${encodeURIComponent(endpoint.id)}`;
        const [{ key }, { headers }] = await Promise.all([
          from.call<{ key: string }>("GET", `${path}/secret`),
          from.call<{ headers: Record<string, string> }>("GET", `${path}/headers`),
        ]);
        const rate = endpoint.throttleRate ?? endpoint.rateLimit ?? null;
        await to.call("POST", `/api/v1/app/${encodeURIComponent(uid)}/endpoint`, {
          url: endpoint.url,
          uid: endpointUid,
          description: endpoint.description ?? "",
          disabled: endpoint.disabled ?? false,
          eventTypes: endpoint.eventTypes ?? endpoint.filterTypes ?? null,
          metadata: endpoint.metadata ?? {},
          headers,
          secret: key,
          ...(rate !== null && { throttleRate: rate }),
        });
        report.copied++;
        print(`copied  ${uid} ${endpointUid} ${endpoint.url}`);
      } catch (error) {
        // One endpoint hookrelay refuses (a private URL, a header it sets itself) does not stop the rest.
        const reason = error instanceof Error ? error.message : String(error);
        report.failed.push({ app: uid, endpoint: endpointUid, reason });
        print(`failed  ${uid} ${endpointUid}: ${reason}`);
      }
    }
  }
  return report;
}
