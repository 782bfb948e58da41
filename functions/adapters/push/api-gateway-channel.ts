import type { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import type { PushChannel } from "../../core/push/deps.ts";
import { serverFrame } from "../../core/push/protocol.ts";

type Sdk = typeof import("@aws-sdk/client-apigatewaymanagementapi");

/**
 * API Gateway's @connections API as the push channel. The SDK client is imported on the first push,
 * so a function that pushes nothing never loads it. API Gateway closes a deleted connection with
 * 1000 whatever the reason, so the `close` frame carries the protocol's code.
 */
export class ApiGatewayChannel implements PushChannel {
  private readonly callbackUrl: string;
  private loaded?: Promise<{ sdk: Sdk; client: ApiGatewayManagementApiClient }>;

  constructor(callbackUrl: string) {
    this.callbackUrl = callbackUrl;
  }

  async send(connectionId: string, frame: string): Promise<boolean> {
    const { sdk, client } = await this.load();
    try {
      await client.send(new sdk.PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(frame) }));
      return true;
    } catch (error) {
      if (error instanceof sdk.GoneException) return false;
      throw error;
    }
  }

  async close(connectionId: string, code: number, reason: string): Promise<void> {
    const { sdk, client } = await this.load();
    if (!(await this.send(connectionId, serverFrame({ type: "close", code, reason })))) return;
    try {
      await client.send(new sdk.DeleteConnectionCommand({ ConnectionId: connectionId }));
    } catch (error) {
      if (!(error instanceof sdk.GoneException)) throw error;
    }
  }

  private load() {
    this.loaded ??= import("@aws-sdk/client-apigatewaymanagementapi").then((sdk) => ({
      sdk,
      client: new sdk.ApiGatewayManagementApiClient({
        endpoint: this.callbackUrl,
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
      }),
    }));
    return this.loaded;
  }
}
