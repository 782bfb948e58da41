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
    /**
     * Sends one request; resolves with the status and the parsed JSON answer. A kept-alive socket the
     * server closed just as it was reused is reset before the request reached it: that request is
     * sent once more on a fresh socket (the pattern Node's documentation gives for `reusedSocket`).
     */
    request(method: string, path: string, body?: unknown): Promise<{ status: number; json: ApiJson | undefined }> {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      return send(method, path, payload).catch((error: { code?: string; reusedSocket?: boolean }) => {
        if (error.code === "ECONNRESET" && error.reusedSocket) return send(method, path, payload);
        throw error;
      });
    },
    close: () => agent.destroy(),
  };

  function send(method: string, path: string, payload: Buffer | undefined): Promise<{ status: number; json: ApiJson | undefined }> {
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
      req.on("error", (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
      req.end(payload);
    });
  }
}

export type ApiClient = ReturnType<typeof apiClient>;
