import type { APIGatewayProxyWebsocketEventV2, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { feedSlotsEndpoint } from "../adapters/dynamo/table-design.ts";
import type { Log } from "../adapters/lambda/logger.ts";
import { deadlineConnection } from "../adapters/sqs/sqs-subscribe-deadlines.ts";
import type { PushDeps } from "../core/push/deps.ts";
import { connect, disconnect, expireUnsubscribed, pushEndpoint, receive, sweep } from "../core/push/session.ts";

/** What the push function is invoked with: a WebSocket route, the table's stream (feed slots), the deadline queue, or its schedule. */
export type PushEvent = APIGatewayProxyWebsocketEventV2 | DynamoDBStreamEvent | SQSEvent | { source: "aws.events" } | { sweep: true };

/**
 * The push function: $connect, $default and $disconnect of the WebSocket API, the table's stream
 * (each feed slot written pushes its endpoint's connections), the subscribe-deadline queue, and a
 * schedule (the sweep). Glue only: each event goes to one function of the core's session.
 */
export function createPushHandler(deps: PushDeps, log: Log) {
  return async (event: PushEvent): Promise<{ statusCode: number } | SQSBatchResponse | undefined> => {
    if ("requestContext" in event) {
      const { routeKey, connectionId } = event.requestContext;
      try {
        if (routeKey === "$connect") await connect(deps, connectionId);
        else if (routeKey === "$disconnect") await disconnect(deps, connectionId);
        else
          await receive(
            deps,
            connectionId,
            event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString("utf8") : (event.body ?? ""),
          );
        return { statusCode: 200 };
      } catch (error) {
        log.error("push route failed", { routeKey, error: String(error) });
        return { statusCode: 500 };
      }
    }
    if ("Records" in event && event.Records[0]?.eventSource === "aws:sqs") {
      const failures: SQSBatchResponse["batchItemFailures"] = [];
      for (const record of (event as SQSEvent).Records) {
        const connectionId = deadlineConnection(record.body);
        if (connectionId === undefined) {
          log.warn("push deadline message dropped: not a deadline", { messageId: record.messageId });
          continue;
        }
        try {
          await expireUnsubscribed(deps, connectionId);
        } catch (error) {
          // Only this message comes back after its visibility timeout; the sweep's backstop bounds the rest.
          log.error("push deadline failed", { error: String(error) });
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures: failures };
    }
    if ("Records" in event) {
      const endpoints = new Set<string>();
      for (const record of (event as DynamoDBStreamEvent).Records) {
        const endpointId = feedSlotsEndpoint(String(record.dynamodb?.Keys?.pk?.S ?? ""));
        if (endpointId !== undefined) endpoints.add(endpointId);
      }
      // A failure throws: the stream delivers the batch again, and a push that went twice is deduped by its cursor.
      for (const endpointId of endpoints) await pushEndpoint(deps, endpointId);
      return undefined;
    }
    await sweep(deps);
    return undefined;
  };
}
