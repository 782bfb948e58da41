import { DynamoApiKeyStore } from "../adapters/dynamo/dynamo-api-key-store.ts";
import { DynamoPushConnections } from "../adapters/dynamo/dynamo-push-connections.ts";
import { loadAdminKey } from "../adapters/lambda/admin-key.ts";
import { createSqsClient } from "../adapters/lambda/aws-clients.ts";
import { loadOnce } from "../adapters/lambda/loaded-on-first-call.ts";
import { SqsSubscribeDeadlines } from "../adapters/sqs/sqs-subscribe-deadlines.ts";
import { Authenticator } from "../core/access/api-keys.ts";
import { HOLE_GRACE_MS } from "../core/feed/deps.ts";
import { ConfigError } from "../core/kernel/errors.ts";
import { CursorKeys } from "../core/push/cursor-keys.ts";
import type { PushChannel, PushDeps } from "../core/push/deps.ts";
import type { Runtime } from "../runtime.ts";

/** The push function's ports from a runtime and a channel: API Gateway's in AWS, the WebSocket server's locally. */
export function pushDeps(runtime: Runtime, channel: PushChannel): PushDeps {
  const { config } = runtime;
  const apiKeys = new DynamoApiKeyStore(runtime.dynamo, config.tableName);
  const deadlineQueueUrl = config.pushDeadlineQueueUrl;
  if (deadlineQueueUrl === undefined)
    throw new ConfigError("Set PUSH_DEADLINE_QUEUE_URL: $connect schedules each connection's subscribe deadline there");
  return {
    connections: new DynamoPushConnections(runtime.dynamo, config.tableName),
    channel,
    deadlines: new SqsSubscribeDeadlines(createSqsClient(runtime.budget), deadlineQueueUrl),
    feed: runtime.feed,
    cursorKeys: new CursorKeys(),
    endpoints: runtime.endpoints,
    apiKeys,
    tenantStatus: runtime.tenantStatus,
    // The admin key is read once per container; a failed read is tried again on the next frame.
    authenticator: loadOnce(async () => new Authenticator(await loadAdminKey(config), apiKeys)),
    clock: runtime.clock,
    settings: {
      window: config.pushWindow,
      perEndpoint: config.maxSocketsPerEndpoint,
      perTenant: config.maxSocketsPerTenant,
      logRetentionDays: config.logRetentionDays,
      holeGraceMs: HOLE_GRACE_MS,
    },
  };
}
