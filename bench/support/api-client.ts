import http from "node:http";

/** The fields of API answers the bench reads. */
export interface ApiJson {
  endpoints?: number;
  items?: { status: number }[];
  [field: string]: unknown;
}

/** A keep-alive JSON client for the local HTTP API, authorised with the admin key. */
export function apiClient(baseUrl: string, adminKey: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const base = new URL(baseUrl);
  return {
    /** Sends one request; resolves with the status and the parsed JSON answer. */
    request(method: string, path: string, body?: unknown): Promise<{ status: number; json: ApiJson | undefined }> {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: base.hostname,
            port: base.port,
            path,
            method,
            agent,
            headers: {
              authorization: `Bearer ${adminKey}`,
              ...(payload && { "content-type": "application/json", "content-length": String(payload.length) }),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              const text = Buffer.concat(chunks).toString("utf8");
              resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined });
            });
          },
        );
        req.on("error", reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
