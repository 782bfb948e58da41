/** The API document's schemas under the names the client's methods take and return. */
import type { components } from "./schema.ts";

type Schemas = components["schemas"];
export type Endpoint = Schemas["Endpoint"];
export type CreatedEndpoint = Schemas["CreatedEndpoint"];
export type CreateEndpoint = Schemas["CreateEndpoint"];
export type CreatePollingEndpoint = Schemas["CreatePollingEndpoint"];
/** The create bodies of the AWS destinations (docs/destinations.md). */
export type CreateAwsEndpoint =
  | Schemas["CreateSqsEndpoint"]
  | Schemas["CreateSnsEndpoint"]
  | Schemas["CreateEventBridgeEndpoint"]
  | Schemas["CreateKinesisEndpoint"]
  | Schemas["CreateS3Endpoint"];
export type DestinationAccessInfo = Schemas["DestinationAccessInfo"];
export type FeedItem = Schemas["FeedItem"];
export type FeedPage = Schemas["FeedPage"];
export type UpdateEndpoint = Schemas["UpdateEndpoint"];
export type Secret = Schemas["Secret"];
export type Recovery = Schemas["Recovery"];
export type ReplayResult = Schemas["ReplayResult"];
export type Attempt = Schemas["Attempt"];
export type EmitEvent = Schemas["EmitEvent"];
export type AcceptedEvent = Schemas["AcceptedEvent"];
export type EventView = Schemas["EventView"];
export type ScheduledMessage = Schemas["ScheduledMessage"];
export type EndpointStats = Schemas["EndpointStats"];
export type OrderedLine = Schemas["OrderedLine"];
export type BatchResult = Schemas["BatchResult"];
export type ApiKey = Schemas["ApiKey"];
export type CreatedApiKey = Schemas["CreatedApiKey"];
export type EventTypeDefinition = Schemas["EventTypeDefinition"];
export type CreateEventType = Schemas["CreateEventType"];
export type UpdateEventType = Schemas["UpdateEventType"];
export type ErrorBody = Schemas["Error"];
