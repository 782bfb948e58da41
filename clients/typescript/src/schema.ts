// Generated from docs/openapi.json by openapi-typescript (npm run openapi): do not edit.

export interface paths {
    "/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health check */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a tenant's endpoints */
        get: operations["listEndpoints"];
        put?: never;
        /**
         * Register an endpoint
         * @description `eventTypes` absent means every type; `tenantId` defaults to `default`; `enabled` to `true`. The answer carries the signing secret. `kind: "polling"` makes an endpoint without a URL whose deliveries are read from its feed; it refuses `url`, `headers`, `retrySchedule`, `rateLimitPerSecond`, `signatureHeaders` and `ordering: "fifo"` (`validation_failed`, each field named). `ordering: "fifo"` delivers in emission order (docs/ordering.md). `kind` `sqs`, `sns`, `eventbridge`, `kinesis` or `s3` delivers into the customer's AWS resource (docs/destinations.md): its target is parsed and checked (422 naming the field), a `roleArn` is assumed once with the tenant's ExternalId (422 naming `roleArn` when it cannot be), and a resource of the dispatcher's own account is `destination_not_allowed`.
         */
        post: operations["createEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One endpoint (no secret) */
        get: operations["getEndpoint"];
        put?: never;
        post?: never;
        /** Remove an endpoint */
        delete: operations["deleteEndpoint"];
        options?: never;
        head?: never;
        /**
         * Change an endpoint
         * @description `null` for `eventTypes` means every type; for `retrySchedule` and `rateLimitPerSecond`, the default. `ordering` is fixed at creation: only the current value is accepted.
         */
        patch: operations["updateEndpoint"];
        trace?: never;
    };
    "/v1/endpoints/{id}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The endpoint's signing secret
         * @description The only place besides creation that shows it; `previous` lists when rotated-out secrets stop signing.
         */
        get: operations["getEndpointSecret"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/secret/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing secret
         * @description The old secret keeps signing for the grace period (default 86400 s, at most 7 days).
         */
        post: operations["rotateEndpointSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/recover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resend the failed deliveries of a window
         * @description Resends every failed, exhausted or skipped delivery whose latest attempt is in [since, until).
         */
        post: operations["recoverEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/recoveries/{recoveryId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where a recovery stands */
        get: operations["getRecovery"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send an event again now
         * @description A new manual attempt chain, to one endpoint (`endpointId`) or to every endpoint the event went to. The admin key names the event's tenant with `tenantId` (default `default`).
         */
        post: operations["replayEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/attempts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Attempts to this endpoint, newest first */
        get: operations["listEndpointAttempts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A tenant's events, newest first, without payloads */
        get: operations["listEvents"];
        put?: never;
        /**
         * Emit one event
         * @description `202` means the queue has accepted one message per matching endpoint and the event is recorded. An `Idempotency-Key` header or an `id` field makes the call idempotent: a repeat answers the first result with `idempotent-replayed: true`. `deliverAt` holds the deliveries until that time (docs/scheduling.md): more than SCHEDULE_LEAD_SECONDS (180 s) ahead the message is held (listed by `GET /v1/scheduled`, cancellable), nearer it is queued hidden until then, a past time sends now; past SCHEDULE_HORIZON_HOURS it answers 422 naming `deliverAt`.
         */
        post: operations["emitEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Emit up to 100 events
         * @description One result per event, in order: `{status: 202, event}` or `{status, error}`. Items that hit a dependency failure say 503, and the response then carries `Retry-After`.
         */
        post: operations["emitEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Success rate and latency per hour over the last 24 hours
         * @description Computed from the attempts already in the delivery log: no write per delivery. Reads at most the newest 5,000 attempts.
         */
        get: operations["getEndpointStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/line": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where an ordered endpoint's line stands: whether a failing head holds it, since when, and which event
         * @description Read from the delivery log: the endpoint's newest attempt, and when that is a failure with a retry to come, its delivery's chain. An unordered endpoint answers `unordered`. See docs/ordering.md.
         */
        get: operations["getOrderedLine"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An event, its payload and where each delivery stands */
        get: operations["getEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}/payload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove an event's payload from storage (not portal sessions)
         * @description The event keeps its id, type, times and delivery log; its payload becomes null in the event and in the feed entries of polling endpoints. A delivery already in the queue carries its own copy and is still delivered; replays are refused with `event_expunged`, recoveries skip it. See docs/lifecycle.md.
         */
        delete: operations["expungeEventPayload"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}/attempts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every attempt of the event, newest first */
        get: operations["listEventAttempts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scheduled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A tenant's scheduled messages still held, soonest first
         * @description Events emitted with a `deliverAt` more than SCHEDULE_LEAD_SECONDS (180 s) ahead are held here until the scheduler moves them to the delivery queue, up to that long before their time.
         */
        get: operations["listScheduled"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scheduled/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where the held message of an event stands */
        get: operations["getScheduled"];
        put?: never;
        post?: never;
        /**
         * Cancel the held message of an event: none of its deliveries is sent
         * @description The message ends `cancelled`, and so does the event's `schedule`. A message the scheduler has moved to the queue already answers `409 schedule_started`; a second cancel answers the cancelled message again.
         */
        delete: operations["cancelScheduled"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tenant keys (admin only) */
        get: operations["listApiKeys"];
        put?: never;
        /** Create a tenant key (admin only) */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a tenant key (admin only) */
        delete: operations["deleteApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tenants, oldest first (admin only) */
        get: operations["listTenants"];
        put?: never;
        /**
         * Create a tenant record (admin only)
         * @description A tenant exists without a record: its first endpoint or API key writes one with no name. Create it first to give it a name and metadata.
         */
        post: operations["createTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One tenant's record (a tenant key reads its own) */
        get: operations["getTenant"];
        put?: never;
        post?: never;
        /**
         * Delete a tenant and everything of it (admin only)
         * @description Writes the tenant's tombstone at once: within 30 seconds its keys and portal sessions stop working, its events are refused and its queued deliveries are dropped. Its endpoints, keys, events, attempts, feeds and record are then removed in the background; follow it at GET /v1/tenants/{id}/deletion. A repeat answers the same job. See docs/lifecycle.md.
         */
        delete: operations["deleteTenant"];
        options?: never;
        head?: never;
        /**
         * Change a tenant's name, metadata or settings (admin only)
         * @description Each field given replaces the stored one; `name: null` removes the name. `settings.retentionDays` keeps the tenant's events, attempts, feed items and recoveries that many days instead of LOG_RETENTION_DAYS (`null` goes back to it); it applies to what is written after the change, within 30 seconds. See docs/lifecycle.md.
         */
        patch: operations["updateTenant"];
        trace?: never;
    };
    "/v1/tenants/{id}/deletion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where a tenant's deletion stands (admin only) */
        get: operations["getTenantDeletion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portal-sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Open a customer portal session for one tenant
         * @description A signed token, good for `expiresIn` seconds (default 3600, at most 86400), that acts in `tenantId` on its endpoints, their deliveries and the tenant's events; never on API keys, portal sessions or another tenant. With `endpointIds` it finds no other endpoint, creates none, and sees only the events with a delivery (in any status) to one of them, only those deliveries and their attempts; its list pages may come back short, and their cursors are sealed. Rotating the admin key revokes every session.
         */
        post: operations["createPortalSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The catalog, by name */
        get: operations["listEventTypes"];
        put?: never;
        /**
         * Catalogue an event type (admin only)
         * @description The catalog is global: every tenant's events of the type are held to it. With a `schema`, every payload of the type is validated at emit. A schema is refused (422 `invalid_schema`, `details` naming each place) when it is not draft 2020-12, is over 64 KiB or 32 levels deep, refers (`$ref`) outside itself or more than 64 times, loops without reaching into the value or fans out to check one value over 1000 times, uses `$dynamicRef` or `uniqueItems`, or holds a `pattern` over 256 characters or that the linear-time engine cannot run (lookaround, backreferences, inline modifiers, repeats over 1,000); examples must match it.
         */
        post: operations["createEventType"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-types/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document with the catalog as its webhooks
         * @description The static document (`GET /v1/openapi.json`) with a `webhooks` entry per catalogued type, its schema under `components.schemas` as `Event_<name>` (`:` becomes `_`): what receivers generate payload types from. Needs a key, since the catalog is not public.
         */
        get: operations["getEventTypesDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schema-check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stored schemas that registration now refuses (admin only)
         * @description The migration check after an upgrade: every catalogued type whose stored schema today's registration would refuse, with the places and reasons, such as a `pattern` with lookahead, which the linear-time engine cannot run. Intake still validates such a type, leaving out only the patterns the engine refuses (they are not checked), and logs a warning when a container compiles it; a `PATCH` with a rewritten schema clears it. An empty list: nothing to do.
         */
        get: operations["checkEventTypeSchemas"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/send-example": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send an example event of a type to one endpoint
         * @description Records an event of `eventType` for the endpoint's tenant and queues its delivery to this endpoint only, signed and retried like any other. The payload is the type's first example, or one built from its schema (422 `validation_failed` when that does not match the schema: store an example). The builder stops at 10000 values or 260096 bytes, and the payload is held to an emitted payload's limits (32 levels, 260096 bytes once encoded for the queue): past either, 422 `example_too_large`, whose `details` name the schema keyword (`schema.properties.rows.minItems`) or the stored example (`examples.0`). 404 for an endpoint of another tenant or an uncatalogued type.
         */
        post: operations["sendExample"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-types/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One event type */
        get: operations["getEventType"];
        put?: never;
        post?: never;
        /**
         * Remove an event type (admin only)
         * @description Events of the name are then accepted unchecked, as every type the catalog does not hold is.
         */
        delete: operations["deleteEventType"];
        options?: never;
        head?: never;
        /**
         * Change an event type (admin only)
         * @description `schema: null` removes the schema, `examples: null` the examples; `archived: true` refuses the type at emit until it is set back to `false`. A schema is refused (422 `invalid_schema`, `details` naming each place) when it is not draft 2020-12, is over 64 KiB or 32 levels deep, refers (`$ref`) outside itself or more than 64 times, loops without reaching into the value or fans out to check one value over 1000 times, uses `$dynamicRef` or `uniqueItems`, or holds a `pattern` over 256 characters or that the linear-time engine cannot run (lookaround, backreferences, inline modifiers, repeats over 1,000); examples must match it.
         */
        patch: operations["updateEventType"];
        trace?: never;
    };
    "/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/feed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a polling endpoint's deliveries
         * @description Items in the order the feed accepted them, from `cursor` on (none: from the oldest kept). A consumer that always passes back the cursor it was given sees every item at least once, in that order. With `wait` > 0 an empty answer is held until an item arrives (answered within about a second) or the wait ends. A held poll counts against `MAX_POLLS_PER_ENDPOINT` and `MAX_POLLS_PER_TENANT` (`429 too_many_polls` with `Retry-After` past either); a `wait=0` read and a poll that finds items at once do not. Long polls are served at the `feedUrl` that `GET /v1/health` tells (null: this URL); the API function answers them `400 use_feed_url` with the `feedUrl` of its `details` entry for `wait`.
         */
        get: operations["readFeed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/destination-access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's ExternalId and session tag for AWS destinations
         * @description Readable at any time, before any role exists: the `sts:ExternalId` a customer's role must require, and the session tag (with the role that carries it) a resource policy must require when the endpoint names no `roleArn`.
         */
        get: operations["getDestinationAccess"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    delivery: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A delivery to your endpoint
         * @description A signed Standard Webhooks request. Verify it with the endpoint's secret before trusting it: `verify(body, headers, secret)` of the TypeScript client, or any Standard Webhooks library. The body is the payload exactly as emitted; the endpoint's own `headers` are added.
         */
        post: operations["receiveDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        CreateEndpoint: {
            /** @constant */
            kind?: "webhook";
            /** @description must be an absolute URL; must use http or https; must not carry a user name or password */
            url: string;
            eventTypes?: components["schemas"]["EventType"][];
            tenantId?: components["schemas"]["TenantId"];
            description?: string;
            enabled?: boolean;
            /** @description at most 20 headers */
            headers?: {
                [key: string]: string;
            };
            /** @description must be whsec_ followed by base64 of 24 to 64 bytes */
            secret?: string;
            /** @description must be 1 to 50 whole seconds, each from 1 to 36000 */
            retrySchedule?: number[];
            rateLimitPerSecond?: number;
            /** @enum {string} */
            ordering?: "none" | "fifo";
            /** @enum {string} */
            signatureHeaders?: "webhook" | "svix" | "both";
        };
        CreateSqsEndpoint: {
            /** @constant */
            kind: "sqs";
            /** @description https://sqs.<region>.amazonaws.com/<account>/<name> */
            queueUrl: string;
            eventTypes?: components["schemas"]["EventType"][];
            tenantId?: components["schemas"]["TenantId"];
            description?: string;
            enabled?: boolean;
            /** @description must be whsec_ followed by base64 of 24 to 64 bytes */
            secret?: string;
            /** @description must be 1 to 50 whole seconds, each from 1 to 36000 */
            retrySchedule?: number[];
            rateLimitPerSecond?: number;
            /** @description A role in the customer's account trusting the dispatcher with the tenant's ExternalId; absent: the tenant-tagged session */
            roleArn?: string;
        };
        CreateSnsEndpoint: {
            /** @constant */
            kind: "sns";
            /** @description arn:aws:sns:<region>:<account>:<topic> */
            topicArn: string;
            eventTypes?: components["schemas"]["EventType"][];
            tenantId?: components["schemas"]["TenantId"];
            description?: string;
            enabled?: boolean;
            /** @description must be whsec_ followed by base64 of 24 to 64 bytes */
            secret?: string;
            /** @description must be 1 to 50 whole seconds, each from 1 to 36000 */
            retrySchedule?: number[];
            rateLimitPerSecond?: number;
            /** @description A role in the customer's account trusting the dispatcher with the tenant's ExternalId; absent: the tenant-tagged session */
            roleArn?: string;
        };
        CreateEventBridgeEndpoint: {
            /** @constant */
            kind: "eventbridge";
            /** @description arn:aws:events:<region>:<account>:event-bus/<name> */
            eventBusArn: string;
            /** @description The events' detail-type; absent: the event's type */
            detailType?: string;
            eventTypes?: components["schemas"]["EventType"][];
            tenantId?: components["schemas"]["TenantId"];
            description?: string;
            enabled?: boolean;
            /** @description must be whsec_ followed by base64 of 24 to 64 bytes */
            secret?: string;
            /** @description must be 1 to 50 whole seconds, each from 1 to 36000 */
            retrySchedule?: number[];
            rateLimitPerSecond?: number;
            /** @description A role in the customer's account trusting the dispatcher with the tenant's ExternalId; absent: the tenant-tagged session */
            roleArn?: string;
        };
        CreateKinesisEndpoint: {
            /** @constant */
            kind: "kinesis";
            /** @description arn:aws:kinesis:<region>:<account>:stream/<name> */
            streamArn: string;
            /** @description A payload field (dotted path) whose value is the partition key; absent: the event id */
            partitionKeyField?: string;
            eventTypes?: components["schemas"]["EventType"][];
            tenantId?: components["schemas"]["TenantId"];
            description?: string;
            enabled?: boolean;
            /** @description must be whsec_ followed by base64 of 24 to 64 bytes */
            secret?: string;
            /** @description must be 1 to 50 whole seconds, each from 1 to 36000 */
            retrySchedule?: number[];
            rateLimitPerSecond?: number;
            /** @description A role in the customer's account trusting the dispatcher with the tenant's ExternalId; absent: the tenant-tagged session */
            roleArn?: string;
        };
        CreateS3Endpoint: {
            /** @constant */
            kind: "s3";
            /** @description The bucket's name */
            bucket: string;
            /** @description The bucket's region; absent: the deployment's */
            region?: string;
            /** @description Prepended to every key */
            prefix?: string;
            eventTypes?: components["schemas"]["EventType"][];
            tenantId?: components["schemas"]["TenantId"];
            description?: string;
            enabled?: boolean;
            /** @description must be whsec_ followed by base64 of 24 to 64 bytes */
            secret?: string;
            /** @description must be 1 to 50 whole seconds, each from 1 to 36000 */
            retrySchedule?: number[];
            rateLimitPerSecond?: number;
            /** @description A role in the customer's account trusting the dispatcher with the tenant's ExternalId; absent: the tenant-tagged session */
            roleArn?: string;
        };
        CreatePollingEndpoint: {
            /** @constant */
            kind: "polling";
            eventTypes?: components["schemas"]["EventType"][];
            tenantId?: components["schemas"]["TenantId"];
            description?: string;
            enabled?: boolean;
            /** @description must be whsec_ followed by base64 of 24 to 64 bytes */
            secret?: string;
            /** @constant */
            ordering?: "none";
        };
        UpdateEndpoint: {
            /** @description must be an absolute URL; must use http or https; must not carry a user name or password */
            url?: string;
            eventTypes?: components["schemas"]["EventType"][] | null;
            description?: string;
            enabled?: boolean;
            /** @description at most 20 headers */
            headers?: {
                [key: string]: string;
            };
            retrySchedule?: number[] | null;
            rateLimitPerSecond?: number | null;
            /** @enum {string} */
            ordering?: "none" | "fifo";
            signatureHeaders?: ("webhook" | "svix" | "both") | null;
        };
        RotateSecret: {
            gracePeriodSeconds?: number;
            /** @description must be whsec_ followed by base64 of 24 to 64 bytes */
            secret?: string;
        };
        RecoverEndpoint: {
            /** @description must be an RFC 3339 timestamp of a real date, e.g. 2024-01-31T09:30:00Z or 2024-01-31T10:30:00+01:00 */
            since: string;
            /** @description must be an RFC 3339 timestamp of a real date, e.g. 2024-01-31T09:30:00Z or 2024-01-31T10:30:00+01:00 */
            until?: string;
        };
        ReplayEvent: {
            tenantId?: components["schemas"]["TenantId"];
            endpointId?: string;
        };
        EmitEvent: {
            type: components["schemas"]["EventType"];
            payload: unknown;
            tenantId?: components["schemas"]["TenantId"];
            id?: string;
            /** @description must be an RFC 3339 timestamp of a real date, e.g. 2024-01-31T09:30:00Z or 2024-01-31T10:30:00+01:00 */
            deliverAt?: string;
        };
        EmitBatch: {
            events: components["schemas"]["EmitEvent"][];
        };
        CreateApiKey: {
            tenantId: components["schemas"]["TenantId"];
            name: string;
        };
        CreateEventType: {
            name: components["schemas"]["EventType"];
            description: string;
            /** @description A JSON Schema (draft 2020-12) the payloads must match */
            schema?: {
                [key: string]: unknown;
            };
            /** @description Example payloads, each matching the schema; the first is what send-example sends */
            examples?: unknown[];
            archived?: boolean;
        };
        UpdateEventType: {
            description?: string;
            schema?: {
                [key: string]: unknown;
            } | null;
            examples?: unknown[] | null;
            archived?: boolean;
        };
        EventType: string;
        TenantId: string;
        /** @enum {string} */
        AttemptStatus: "succeeded" | "failed" | "exhausted" | "skipped";
        Endpoint: {
            /** @description An identifier this API gave out */
            id: string;
            /**
             * @description webhook: POSTed to `url`; polling: read from its feed; sqs, sns, eventbridge, kinesis, s3: put into the customer's AWS resource (docs/destinations.md)
             * @enum {string}
             */
            kind: "webhook" | "polling" | "sqs" | "sns" | "eventbridge" | "kinesis" | "s3";
            /** @description Absent on a polling endpoint; on an AWS destination, its queue URL, ARN or s3://bucket/prefix */
            url?: string;
            /** @description An AWS destination's target as parsed, and the role it is reached through (absent: the tenant-tagged session) */
            destination?: {
                queueUrl?: string;
                topicArn?: string;
                eventBusArn?: string;
                detailType?: string;
                streamArn?: string;
                partitionKeyField?: string;
                bucket?: string;
                prefix?: string;
                region: string;
                account: string;
                roleArn?: string;
            };
            /** @description null means every event type */
            eventTypes: components["schemas"]["EventType"][] | null;
            tenantId: string;
            description: string | null;
            enabled: boolean;
            headers: {
                [key: string]: string;
            };
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            updatedAt: string;
            /** @description Delays in seconds after each failed attempt; null means the default */
            retrySchedule: number[] | null;
            rateLimitPerSecond: number | null;
            /**
             * @description fifo: each delivery goes only after every one emitted before it to this endpoint succeeded or was given up (docs/ordering.md); fixed at creation
             * @enum {string}
             */
            ordering: "none" | "fifo";
            /** @description Which signature header names its deliveries carry: webhook-*, svix-* or both; null means the tenant's default (SIGNATURE_HEADERS) */
            signatureHeaders: ("webhook" | "svix" | "both") | null;
            /** @description Why the dispatcher or a caller disabled it */
            disabledReason: ("gone" | "failing" | "manual") | null;
            disabledAt: string | null;
            /** @description Start of the current run of failed attempts */
            failingSince: string | null;
            circuit: components["schemas"]["Circuit"];
            /** @description On create and update: subscribed types the event-type catalog does not hold (only while the catalog holds any); on an AWS destination whose service takes less than the largest event framed for it, that. The endpoint is saved regardless */
            warnings?: ({
                /** @constant */
                code: "unknown_event_type";
                eventType: string;
                message: string;
            } | {
                /** @constant */
                code: "message_may_exceed_limit";
                message: string;
            })[];
            /**
             * @description Which queue delivers to it: fast; slow (it timed out or answered slowly, so its deliveries no longer share batches with healthy endpoints'); probation (new or given a new URL, delivered like a slow one until it has answered fast)
             * @enum {string}
             */
            lane: "fast" | "slow" | "probation";
            /** @description When it entered its lane; null for an endpoint in the fast lane since before lanes */
            laneSince: string | null;
            /** @description Consecutive fast 2xx answers in the slow or probation lane; laneFastSuccessesNeeded of them move it to the fast lane */
            laneFastSuccesses: number;
            /** @description The run of fast 2xx answers that brings it from the slow or probation lane to the fast lane: in those lanes what it needs now; in the fast lane what a move out of it now would set. LANE_EXIT_SUCCESSES doubled for each recent move out of the fast lane, up to LANE_EXIT_MAX_SUCCESSES */
            laneFastSuccessesNeeded: number;
            /** @description Its recent moves out of the fast lane (a POST cut off by the fast lane's budget, or a slow answer); each LANE_EXIT_DECAY_SECONDS it spends in the fast lane without another forgives one */
            laneDemotions: number;
        };
        CreatedEndpoint: {
            /** @description An identifier this API gave out */
            id: string;
            /**
             * @description webhook: POSTed to `url`; polling: read from its feed; sqs, sns, eventbridge, kinesis, s3: put into the customer's AWS resource (docs/destinations.md)
             * @enum {string}
             */
            kind: "webhook" | "polling" | "sqs" | "sns" | "eventbridge" | "kinesis" | "s3";
            /** @description Absent on a polling endpoint; on an AWS destination, its queue URL, ARN or s3://bucket/prefix */
            url?: string;
            /** @description An AWS destination's target as parsed, and the role it is reached through (absent: the tenant-tagged session) */
            destination?: {
                queueUrl?: string;
                topicArn?: string;
                eventBusArn?: string;
                detailType?: string;
                streamArn?: string;
                partitionKeyField?: string;
                bucket?: string;
                prefix?: string;
                region: string;
                account: string;
                roleArn?: string;
            };
            /** @description null means every event type */
            eventTypes: components["schemas"]["EventType"][] | null;
            tenantId: string;
            description: string | null;
            enabled: boolean;
            headers: {
                [key: string]: string;
            };
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            updatedAt: string;
            /** @description Delays in seconds after each failed attempt; null means the default */
            retrySchedule: number[] | null;
            rateLimitPerSecond: number | null;
            /**
             * @description fifo: each delivery goes only after every one emitted before it to this endpoint succeeded or was given up (docs/ordering.md); fixed at creation
             * @enum {string}
             */
            ordering: "none" | "fifo";
            /** @description Which signature header names its deliveries carry: webhook-*, svix-* or both; null means the tenant's default (SIGNATURE_HEADERS) */
            signatureHeaders: ("webhook" | "svix" | "both") | null;
            /** @description Why the dispatcher or a caller disabled it */
            disabledReason: ("gone" | "failing" | "manual") | null;
            disabledAt: string | null;
            /** @description Start of the current run of failed attempts */
            failingSince: string | null;
            circuit: components["schemas"]["Circuit"];
            /** @description On create and update: subscribed types the event-type catalog does not hold (only while the catalog holds any); on an AWS destination whose service takes less than the largest event framed for it, that. The endpoint is saved regardless */
            warnings?: ({
                /** @constant */
                code: "unknown_event_type";
                eventType: string;
                message: string;
            } | {
                /** @constant */
                code: "message_may_exceed_limit";
                message: string;
            })[];
            /**
             * @description Which queue delivers to it: fast; slow (it timed out or answered slowly, so its deliveries no longer share batches with healthy endpoints'); probation (new or given a new URL, delivered like a slow one until it has answered fast)
             * @enum {string}
             */
            lane: "fast" | "slow" | "probation";
            /** @description When it entered its lane; null for an endpoint in the fast lane since before lanes */
            laneSince: string | null;
            /** @description Consecutive fast 2xx answers in the slow or probation lane; laneFastSuccessesNeeded of them move it to the fast lane */
            laneFastSuccesses: number;
            /** @description The run of fast 2xx answers that brings it from the slow or probation lane to the fast lane: in those lanes what it needs now; in the fast lane what a move out of it now would set. LANE_EXIT_SUCCESSES doubled for each recent move out of the fast lane, up to LANE_EXIT_MAX_SUCCESSES */
            laneFastSuccessesNeeded: number;
            /** @description Its recent moves out of the fast lane (a POST cut off by the fast lane's budget, or a slow answer); each LANE_EXIT_DECAY_SECONDS it spends in the fast lane without another forgives one */
            laneDemotions: number;
            /** @description The whsec_ signing secret; shown here and by GET /v1/endpoints/{id}/secret only */
            secret: string;
        };
        Circuit: {
            /** @enum {string} */
            state: "closed" | "open" | "half-open";
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            openUntil?: string;
        };
        Secret: {
            secret: string;
            /** @description When each rotated-out secret stops signing */
            previous?: {
                /**
                 * Format: date-time
                 * @description ISO 8601 time
                 */
                expiresAt: string;
            }[];
        };
        Recovery: {
            /** @description An identifier this API gave out */
            id: string;
            /** @description An identifier this API gave out */
            endpointId: string;
            tenantId: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            since: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            until: string;
            /** @enum {string} */
            status: "running" | "completed" | "failed";
            steps: number;
            error?: string;
            resent: number;
            scanned: number;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            updatedAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            completedAt?: string;
        };
        EndpointStats: {
            /** @description An identifier this API gave out */
            endpointId: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            from: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            until: string;
            /**
             * Format: date-time
             * @description Hours before this are incomplete: the read stopped at the newest 5,000 attempts
             */
            completeSince: string;
            truncated: boolean;
            hours: {
                /**
                 * Format: date-time
                 * @description ISO 8601 time
                 */
                hour: string;
                sent: number;
                succeeded: number;
                p50Ms: number | null;
                p95Ms: number | null;
            }[];
        };
        OrderedLine: {
            /** @description An identifier this API gave out */
            endpointId: string;
            /** @enum {string} */
            ordering: "none" | "fifo";
            /**
             * @description unordered: the endpoint has no line; disabled: its line drains, each delivery recorded skipped; blocked: the head waits for its retry and holds back the rest; clear: the last delivery ended and nothing known holds the line
             * @enum {string}
             */
            state: "unordered" | "disabled" | "blocked" | "clear";
            /** @description Blocked for 3600 s or more (the StuckOrderedEndpoint alarm's threshold) */
            stuck: boolean;
            /** @description The blocked head; null unless blocked. How many deliveries wait behind it is not told: SQS counts a queue's messages, not one group's */
            head: {
                /** @description The event whose delivery is the head: every later delivery waits behind it */
                eventId: string;
                /** @description The manual chain (replay, recovery) the head is on; absent on its first delivery */
                chain?: string;
                /**
                 * Format: date-time
                 * @description Its chain's first attempt: since then the line has waited on it
                 */
                blockedSince: string;
                attempts: number;
                /**
                 * Format: date-time
                 * @description ISO 8601 time
                 */
                lastAttemptAt: string;
                /**
                 * Format: date-time
                 * @description When its next attempt is due (a circuit or rate limit may hold it longer)
                 */
                nextAttemptAt?: string;
                lastStatusCode?: number;
                lastError?: string;
            } | null;
        };
        ReplayResult: {
            /** @description An identifier this API gave out */
            eventId: string;
            chains: {
                /** @description An identifier this API gave out */
                endpointId: string;
                /** @description An identifier this API gave out */
                chain: string;
            }[];
            skipped: {
                /** @description An identifier this API gave out */
                endpointId: string;
                /** @enum {string} */
                reason: "endpoint_disabled" | "endpoint_deleted" | "unsendable";
            }[];
        };
        Attempt: {
            /** @description An identifier this API gave out */
            eventId: string;
            /** @description An identifier this API gave out */
            endpointId: string;
            tenantId: string;
            attempt: number;
            /** @enum {string} */
            trigger: "scheduled" | "dead-letter" | "manual";
            /** @description The manual attempt chain (replay, recovery) it belongs to */
            chain?: string;
            status: components["schemas"]["AttemptStatus"];
            url: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            at: string;
            durationMs: number;
            statusCode?: number;
            /** @enum {string} */
            error?: "timeout" | "connection" | "destination_blocked" | "request_invalid" | "endpoint_disabled" | "endpoint_deleted" | "dead_lettered" | "endpoint_gone" | "unsendable" | "destination_throttled" | "destination_error" | "destination_denied" | "destination_missing" | "destination_kms" | "destination_too_large" | "destination_rejected";
            errorMessage?: string;
            /** @description The first 4 KB of the receiver's answer */
            responseBody?: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            nextAttemptAt?: string;
            /** @description When the record expires, in unix seconds */
            expiresAt: number;
        };
        AcceptedEvent: {
            /** @description The event's id: the caller's, or one made for it; the idempotency key within the tenant */
            id: string;
            /** @description The `webhook-id` every delivery of the event carries (each attempt, replay, recovery and endpoint): `msg_` + 27 base62 characters derived from the tenant and the event id. An event accepted before message ids existed keeps its `id` here */
            messageId: string;
            type: components["schemas"]["EventType"];
            tenantId: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            createdAt: string;
            /** @description How many endpoints the event was queued for */
            endpoints: number;
            /**
             * Format: date-time
             * @description When its deliveries may start, when the caller gave one (docs/scheduling.md)
             */
            deliverAt?: string;
        };
        Delivery: {
            /** @description An identifier this API gave out */
            endpointId: string;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed" | "exhausted" | "skipped";
            attempts: number;
            lastStatusCode?: number;
            lastError?: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            lastAttemptAt?: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            nextAttemptAt?: string;
        };
        EventView: {
            /** @description The event's id: the caller's, or one made for it; the idempotency key within the tenant */
            id: string;
            /** @description The `webhook-id` every delivery of the event carries (each attempt, replay, recovery and endpoint): `msg_` + 27 base62 characters derived from the tenant and the event id. An event accepted before message ids existed keeps its `id` here */
            messageId: string;
            type: components["schemas"]["EventType"];
            tenantId: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            createdAt: string;
            /** @description How many endpoints the event was queued for */
            endpoints: number;
            /**
             * Format: date-time
             * @description When its deliveries may start, when the caller gave one (docs/scheduling.md)
             */
            deliverAt?: string;
            /** @description The payload as it was emitted; null once expunged */
            payload: unknown;
            /**
             * Format: date-time
             * @description When its payload was expunged
             */
            expungedAt?: string;
            deliveries: components["schemas"]["Delivery"][];
            /** @description Where a held scheduled message stands (an event held for its deliverAt only) */
            schedule?: components["schemas"]["ScheduledMessage"];
        };
        ScheduledMessage: {
            eventId: string;
            tenantId: string;
            type: components["schemas"]["EventType"];
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            deliverAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            createdAt: string;
            /**
             * @description waiting: held, cancellable; moving or sent: in the delivery queue, hidden until deliverAt; cancelled: never sent; dropped: its event was never recorded
             * @enum {string}
             */
            state: "waiting" | "moving" | "sent" | "cancelled" | "dropped";
            endpoints: number;
            endedAt: string | null;
        };
        BatchResult: {
            items: ({
                /** @constant */
                status: 202;
                event: components["schemas"]["AcceptedEvent"];
            } | {
                status: number;
                error: {
                    /** @description Stable, machine-readable */
                    code: string;
                    /** @description Plain words naming the wrong fields; may change, unlike `code` */
                    message: string;
                    /** @description One entry per wrong field, on every error that concerns one */
                    details?: {
                        /** @description The field: a dotted path into the JSON body (`headers.x-id`, `eventTypes.0`), or a query parameter's or header's name */
                        path: string;
                        /** @description What is wrong there, in plain words */
                        message: string;
                        /** @description use_feed_url: where long polls are served */
                        feedUrl?: string;
                        /** @description payload_too_large, quota_exceeded, too_many_polls: the bound that was met */
                        limit?: number;
                        /**
                         * @description too_many_polls: whose long polls are at the bound
                         * @enum {string}
                         */
                        scope?: "endpoint" | "tenant";
                        /** @description too_many_polls: as Retry-After */
                        retryAfterSeconds?: number;
                        /** @description forbidden: the tenant this key acts in */
                        tenantId?: string;
                    }[];
                };
            })[];
        };
        ApiKey: {
            /** @description An identifier this API gave out */
            id: string;
            tenantId: string;
            name: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            createdAt: string;
        };
        Tenant: {
            id: string;
            name?: string;
            metadata: {
                [key: string]: string;
            };
            settings?: {
                /** @description Days its items are kept; absent: LOG_RETENTION_DAYS */
                retentionDays?: number;
                /**
                 * @description Its endpoints' signature header names where they choose none; absent: SIGNATURE_HEADERS
                 * @enum {string}
                 */
                signatureHeaders?: "webhook" | "svix" | "both";
            };
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            updatedAt: string;
        };
        CreatedApiKey: {
            /** @description An identifier this API gave out */
            id: string;
            tenantId: string;
            name: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            createdAt: string;
            /** @description The key itself, shown once: send it as Authorization: Bearer <key> */
            key: string;
        };
        EventTypeDefinition: {
            name: string;
            description: string;
            /** @description The JSON Schema (draft 2020-12) every payload of the type must match; null: any payload */
            schema: {
                [key: string]: unknown;
            } | null;
            /** @description Example payloads; the first is what send-example sends */
            examples: unknown[];
            /** @description An archived type is refused at emit */
            archived: boolean;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 time
             */
            updatedAt: string;
        };
        Error: {
            error: {
                /** @description Stable, machine-readable */
                code: string;
                /** @description Plain words naming the wrong fields; may change, unlike `code` */
                message: string;
                /** @description One entry per wrong field, on every error that concerns one */
                details?: {
                    /** @description The field: a dotted path into the JSON body (`headers.x-id`, `eventTypes.0`), or a query parameter's or header's name */
                    path: string;
                    /** @description What is wrong there, in plain words */
                    message: string;
                    /** @description use_feed_url: where long polls are served */
                    feedUrl?: string;
                    /** @description payload_too_large, quota_exceeded, too_many_polls: the bound that was met */
                    limit?: number;
                    /**
                     * @description too_many_polls: whose long polls are at the bound
                     * @enum {string}
                     */
                    scope?: "endpoint" | "tenant";
                    /** @description too_many_polls: as Retry-After */
                    retryAfterSeconds?: number;
                    /** @description forbidden: the tenant this key acts in */
                    tenantId?: string;
                }[];
            };
        };
        Health: {
            /** @constant */
            status: "ok";
            /** @description Base URL of GET /v1/endpoints/{id}/feed when long polls are served elsewhere (the feed function's own URL); null: this same URL */
            feedUrl: string | null;
            /** @description The WebSocket push URL (docs/websocket.md): `wss://…` in AWS, `ws://127.0.0.1:…` locally; null when the stack has none */
            websocketUrl: string | null;
        };
        FeedPage: {
            items: components["schemas"]["FeedItem"][];
            /** @description Opaque: pass it back to read on; the same one when nothing was read */
            cursor: string;
        };
        FeedItem: {
            /** @description Unique per append: a redelivery or a replay is a new item with the same eventId */
            id: string;
            eventId: string;
            /** @description The `webhook-id` every delivery of the event carries (each attempt, replay, recovery and endpoint): `msg_` + 27 base62 characters derived from the tenant and the event id. An event accepted before message ids existed keeps its `id` here */
            messageId: string;
            eventType: components["schemas"]["EventType"];
            /**
             * Format: date-time
             * @description When the event was accepted
             */
            timestamp: string;
            /** @description The event's payload */
            payload: unknown;
            /** @description The exact JSON text that was signed: POST it with `headers` to your own server */
            body: string;
            headers: {
                /** @description The event's messageId: the dedupe key */
                "webhook-id": string;
                /** @description Unix seconds of this read */
                "webhook-timestamp": string;
                /** @description `v1,<base64>`, one per live secret, space-separated */
                "webhook-signature": string;
            };
        };
        DestinationAccessInfo: {
            tenantId: string;
            /** @description The sts:ExternalId the customer's role must require; derived, never changes */
            externalId: string;
            /** @description The session tag deliveries without a roleArn carry, valued with the tenant's id */
            sessionTagKey: string;
            /** @description The role those deliveries assume (the principal a resource policy names); null locally */
            sessionRoleArn: string | null;
            /** @description The account a customer's role must trust; null locally */
            dispatcherAccountId: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The API answers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok",
                     *       "feedUrl": null,
                     *       "websocketUrl": null
                     *     }
                     */
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
        };
    };
    listEndpoints: {
        parameters: {
            query?: {
                /** @description The tenant (admin key only; default `default`) */
                tenantId?: components["schemas"]["TenantId"];
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of endpoints */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Endpoint"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: `invalid_request` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_request";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    createEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "url": "https://customer.example/webhooks",
                 *       "eventTypes": [
                 *         "invoice.paid",
                 *         "invoice.voided"
                 *       ],
                 *       "tenantId": "acme",
                 *       "description": "Acme production",
                 *       "headers": {
                 *         "x-acme-account": "42"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["CreateEndpoint"] | components["schemas"]["CreatePollingEndpoint"] | components["schemas"]["CreateSqsEndpoint"] | components["schemas"]["CreateSnsEndpoint"] | components["schemas"]["CreateEventBridgeEndpoint"] | components["schemas"]["CreateKinesisEndpoint"] | components["schemas"]["CreateS3Endpoint"];
            };
        };
        responses: {
            /** @description The endpoint, with its secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedEndpoint"];
                };
            };
            /** @description Bad request: `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_json";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Conflict: `quota_exceeded` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "quota_exceeded";
                        };
                    };
                };
            };
            /** @description Body too large: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "payload_too_large";
                        };
                    };
                };
            };
            /** @description Not JSON: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_media_type";
                        };
                    };
                };
            };
            /** @description Invalid input: `destination_not_allowed`, `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "destination_not_allowed" | "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    getEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Endpoint"];
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    deleteEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    updateEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "enabled": false
                 *     }
                 */
                "application/json": components["schemas"]["UpdateEndpoint"];
            };
        };
        responses: {
            /** @description The endpoint as changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Endpoint"];
                };
            };
            /** @description Bad request: `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_json";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Conflict: `concurrent_update` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "concurrent_update";
                        };
                    };
                };
            };
            /** @description Body too large: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "payload_too_large";
                        };
                    };
                };
            };
            /** @description Not JSON: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_media_type";
                        };
                    };
                };
            };
            /** @description Invalid input: `destination_not_allowed`, `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "destination_not_allowed" | "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    getEndpointSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    rotateEndpointSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "gracePeriodSeconds": 3600
                 *     }
                 */
                "application/json": components["schemas"]["RotateSecret"];
            };
        };
        responses: {
            /** @description The new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            /** @description Bad request: `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_json";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Conflict: `concurrent_update` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "concurrent_update";
                        };
                    };
                };
            };
            /** @description Body too large: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "payload_too_large";
                        };
                    };
                };
            };
            /** @description Not JSON: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_media_type";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    recoverEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "since": "2026-11-30T00:00:00Z"
                 *     }
                 */
                "application/json": components["schemas"]["RecoverEndpoint"];
            };
        };
        responses: {
            /** @description A recovery to poll */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Recovery"];
                };
            };
            /** @description Bad request: `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_json";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Conflict: `endpoint_disabled` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "endpoint_disabled";
                        };
                    };
                };
            };
            /** @description Body too large: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "payload_too_large";
                        };
                    };
                };
            };
            /** @description Not JSON: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_media_type";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    getRecovery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                recoveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The recovery */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Recovery"];
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    replayEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /** @example {} */
                "application/json": components["schemas"]["ReplayEvent"];
            };
        };
        responses: {
            /** @description The chains started, and the endpoints left out */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReplayResult"];
                };
            };
            /** @description Bad request: `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_json";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Conflict: `endpoint_disabled`, `event_expunged`, `event_scheduled` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "endpoint_disabled" | "event_expunged" | "event_scheduled";
                        };
                    };
                };
            };
            /** @description Body too large: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "payload_too_large";
                        };
                    };
                };
            };
            /** @description Not JSON: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_media_type";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    listEndpointAttempts: {
        parameters: {
            query?: {
                /** @description Only attempts of this status */
                status?: components["schemas"]["AttemptStatus"];
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of attempts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Attempt"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: `invalid_request` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_request";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /** @description The tenant (admin key only; default `default`) */
                tenantId?: components["schemas"]["TenantId"];
                /** @description Only events of this type */
                type?: components["schemas"]["EventType"];
                /** @description Only events created before this RFC 3339 time */
                before?: string;
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AcceptedEvent"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: `invalid_request` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_request";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    emitEvent: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the call idempotent for as long as the event is kept; scoped to the tenant */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "type": "invoice.paid",
                 *       "tenantId": "acme",
                 *       "payload": {
                 *         "invoice": "in_123",
                 *         "amount": 4200
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["EmitEvent"];
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    /** @description `true` when this answers a repeat of an earlier call */
                    "idempotent-replayed"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptedEvent"];
                };
            };
            /** @description Bad request: `invalid_json`, `invalid_request` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_json" | "invalid_request";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Conflict: `event_type_archived`, `idempotency_conflict` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "event_type_archived" | "idempotency_conflict";
                        };
                    };
                };
            };
            /** @description Body too large: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "payload_too_large";
                        };
                    };
                };
            };
            /** @description Not JSON: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_media_type";
                        };
                    };
                };
            };
            /** @description Invalid input: `schema_validation_failed`, `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "schema_validation_failed" | "validation_failed";
                        };
                    };
                };
            };
            /** @description Too many at once: retry after Retry-After seconds: `too_many_scheduled` */
            429: {
                headers: {
                    /** @description Seconds until a held long poll is due to end (1 to 25) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "too_many_scheduled";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    emitEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "events": [
                 *         {
                 *           "type": "invoice.paid",
                 *           "tenantId": "acme",
                 *           "payload": {
                 *             "invoice": "in_123",
                 *             "amount": 4200
                 *           }
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["EmitBatch"];
            };
        };
        responses: {
            /** @description One result per event */
            202: {
                headers: {
                    /** @description Seconds to wait before repeating the items that answered 503 */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchResult"];
                };
            };
            /** @description Bad request: `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_json";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Body too large: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "payload_too_large";
                        };
                    };
                };
            };
            /** @description Not JSON: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_media_type";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    getEndpointStats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint's last 24 hours */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointStats"];
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    getOrderedLine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint's line */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderedLine"];
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    getEvent: {
        parameters: {
            query?: {
                /** @description The tenant the event belongs to (admin key only; default `default`) */
                tenantId?: components["schemas"]["TenantId"];
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventView"];
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    expungeEventPayload: {
        parameters: {
            query?: {
                /** @description The tenant the event belongs to (admin key only; default `default`) */
                tenantId?: components["schemas"]["TenantId"];
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The payload is gone */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        eventId: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 time
                         */
                        expungedAt: string;
                        /** @description Feed entries of polling endpoints whose payload was removed */
                        feedEntries: number;
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    listEventAttempts: {
        parameters: {
            query?: {
                /** @description The tenant the event belongs to (admin key only; default `default`) */
                tenantId?: components["schemas"]["TenantId"];
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of attempts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Attempt"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: `invalid_request` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_request";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    listScheduled: {
        parameters: {
            query?: {
                /** @description The tenant (admin key only; default `default`) */
                tenantId?: components["schemas"]["TenantId"];
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of scheduled messages */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ScheduledMessage"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: `invalid_request` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_request";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    getScheduled: {
        parameters: {
            query?: {
                /** @description The tenant the event belongs to (admin key only; default `default`) */
                tenantId?: components["schemas"]["TenantId"];
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The scheduled message */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScheduledMessage"];
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    cancelScheduled: {
        parameters: {
            query?: {
                /** @description The tenant the event belongs to (admin key only; default `default`) */
                tenantId?: components["schemas"]["TenantId"];
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled message */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScheduledMessage"];
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Conflict: `concurrent_update`, `schedule_started` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "concurrent_update" | "schedule_started";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of keys (never the key itself) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ApiKey"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: `invalid_request` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_request";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "tenantId": "acme",
                 *       "name": "acme billing service"
                 *     }
                 */
                "application/json": components["schemas"]["CreateApiKey"];
            };
        };
        responses: {
            /** @description The key, shown once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            /** @description Bad request: `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_json";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Body too large: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "payload_too_large";
                        };
                    };
                };
            };
            /** @description Not JSON: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_media_type";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    deleteApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    listTenants: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of tenants */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Tenant"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: `invalid_request` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_request";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    createTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "acme",
                 *       "name": "Acme Inc.",
                 *       "metadata": {
                 *         "plan": "enterprise"
                 *       }
                 *     }
                 */
                "application/json": {
                    id: components["schemas"]["TenantId"];
                    name?: string;
                    /** @description String pairs for your own use */
                    metadata?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description The tenant */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description Bad request: `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_json";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Conflict: `already_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "already_exists";
                        };
                    };
                };
            };
            /** @description Body too large: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "payload_too_large";
                        };
                    };
                };
            };
            /** @description Not JSON: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_media_type";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    getTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    deleteTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deletion job */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tenantId: string;
                        /**
                         * @description `removing` until every item of the tenant is gone
                         * @enum {string}
                         */
                        state: "removing" | "done";
                        /**
                         * Format: date-time
                         * @description ISO 8601 time
                         */
                        requestedAt: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 time
                         */
                        updatedAt: string;
                        /**
                         * Format: date-time
                         * @description Removal starts then: every writer has seen the tombstone
                         */
                        notBefore: string;
                        /** @description The kind of item being removed: events, endpoints, keys, tenant */
                        step: string;
                        /** @description Items removed so far, by kind */
                        removed: {
                            [key: string]: number;
                        };
                        /**
                         * Format: date-time
                         * @description ISO 8601 time
                         */
                        finishedAt?: string;
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    updateTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "Acme Corporation",
                 *       "settings": {
                 *         "retentionDays": 7
                 *       }
                 *     }
                 */
                "application/json": {
                    name?: string | null;
                    /** @description String pairs for your own use */
                    metadata?: {
                        [key: string]: string;
                    };
                    settings?: {
                        retentionDays?: number | null;
                        signatureHeaders?: ("webhook" | "svix" | "both") | null;
                    };
                };
            };
        };
        responses: {
            /** @description The tenant as changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description Bad request: `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_json";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Conflict: `concurrent_update` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "concurrent_update";
                        };
                    };
                };
            };
            /** @description Body too large: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "payload_too_large";
                        };
                    };
                };
            };
            /** @description Not JSON: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_media_type";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    getTenantDeletion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deletion job */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tenantId: string;
                        /**
                         * @description `removing` until every item of the tenant is gone
                         * @enum {string}
                         */
                        state: "removing" | "done";
                        /**
                         * Format: date-time
                         * @description ISO 8601 time
                         */
                        requestedAt: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 time
                         */
                        updatedAt: string;
                        /**
                         * Format: date-time
                         * @description Removal starts then: every writer has seen the tombstone
                         */
                        notBefore: string;
                        /** @description The kind of item being removed: events, endpoints, keys, tenant */
                        step: string;
                        /** @description Items removed so far, by kind */
                        removed: {
                            [key: string]: number;
                        };
                        /**
                         * Format: date-time
                         * @description ISO 8601 time
                         */
                        finishedAt?: string;
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    createPortalSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "tenantId": "acme",
                 *       "expiresIn": 3600
                 *     }
                 */
                "application/json": {
                    tenantId: components["schemas"]["TenantId"];
                    endpointIds?: string[];
                    expiresIn?: number;
                };
            };
        };
        responses: {
            /** @description The session */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The portal page, the token in its fragment: embed it in an iframe or link to it */
                        url: string;
                        /** @description The session token, for `Authorization: Portal <token>` */
                        token: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 time
                         */
                        expiresAt: string;
                    };
                };
            };
            /** @description Bad request: `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_json";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Body too large: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "payload_too_large";
                        };
                    };
                };
            };
            /** @description Not JSON: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_media_type";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    listEventTypes: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of types */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["EventTypeDefinition"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: `invalid_request` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_request";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    createEventType: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "invoice.paid",
                 *       "description": "An invoice was paid in full",
                 *       "schema": {
                 *         "type": "object",
                 *         "required": [
                 *           "invoice",
                 *           "amount"
                 *         ],
                 *         "properties": {
                 *           "invoice": {
                 *             "type": "string"
                 *           },
                 *           "amount": {
                 *             "type": "integer",
                 *             "minimum": 0
                 *           }
                 *         }
                 *       },
                 *       "examples": [
                 *         {
                 *           "invoice": "in_123",
                 *           "amount": 4200
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["CreateEventType"];
            };
        };
        responses: {
            /** @description The type */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventTypeDefinition"];
                };
            };
            /** @description Bad request: `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_json";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Conflict: `already_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "already_exists";
                        };
                    };
                };
            };
            /** @description Body too large: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "payload_too_large";
                        };
                    };
                };
            };
            /** @description Not JSON: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_media_type";
                        };
                    };
                };
            };
            /** @description Invalid input: `invalid_schema`, `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_schema" | "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    getEventTypesDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document with `webhooks` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        openapi: string;
                        webhooks: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    checkEventTypeSchemas: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The types to fix, by name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            name: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 time
                             */
                            updatedAt: string;
                            /** @description What registration refuses, as places in the type (`schema.properties.sku.pattern`) */
                            issues: {
                                path: string;
                                message: string;
                            }[];
                        }[];
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    sendExample: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "eventType": "invoice.paid"
                 *     }
                 */
                "application/json": {
                    eventType: components["schemas"]["EventType"];
                };
            };
        };
        responses: {
            /** @description The example's event, queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description An identifier this API gave out */
                        eventId: string;
                        /** @description The `webhook-id` every delivery of the event carries (each attempt, replay, recovery and endpoint): `msg_` + 27 base62 characters derived from the tenant and the event id. An event accepted before message ids existed keeps its `id` here */
                        messageId: string;
                        /** @description An identifier this API gave out */
                        endpointId: string;
                        type: string;
                        /** @description The payload sent, signed, to the endpoint */
                        payload: unknown;
                        /**
                         * @description The type's first example, or one built from its schema
                         * @enum {string}
                         */
                        source: "stored" | "generated";
                    };
                };
            };
            /** @description Bad request: `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_json";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Conflict: `event_type_archived` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "event_type_archived";
                        };
                    };
                };
            };
            /** @description Body too large: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "payload_too_large";
                        };
                    };
                };
            };
            /** @description Not JSON: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_media_type";
                        };
                    };
                };
            };
            /** @description Invalid input: `example_too_large`, `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "example_too_large" | "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    getEventType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The type */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventTypeDefinition"];
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    deleteEventType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    updateEventType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "archived": true
                 *     }
                 */
                "application/json": components["schemas"]["UpdateEventType"];
            };
        };
        responses: {
            /** @description The type as changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventTypeDefinition"];
                };
            };
            /** @description Bad request: `invalid_json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_json";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Body too large: `payload_too_large` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "payload_too_large";
                        };
                    };
                };
            };
            /** @description Not JSON: `unsupported_media_type` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_media_type";
                        };
                    };
                };
            };
            /** @description Invalid input: `invalid_schema`, `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_schema" | "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document of this API */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        openapi: string;
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
        };
    };
    readFeed: {
        parameters: {
            query?: {
                /** @description The `cursor` of the previous answer */
                cursor?: string;
                /** @description Items at most */
                limit?: number;
                /** @description Seconds to hold an empty answer */
                wait?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Items and the cursor to pass back */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeedPage"];
                };
            };
            /** @description Bad request: `invalid_request`, `use_feed_url` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "invalid_request" | "use_feed_url";
                        };
                    };
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description Not found: `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_found";
                        };
                    };
                };
            };
            /** @description Conflict: `not_a_polling_endpoint` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "not_a_polling_endpoint";
                        };
                    };
                };
            };
            /** @description Gone: `cursor_expired` */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "cursor_expired";
                        };
                    };
                };
            };
            /** @description Too many at once: retry after Retry-After seconds: `too_many_polls` */
            429: {
                headers: {
                    /** @description Seconds until a held long poll is due to end (1 to 25) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "too_many_polls";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    getDestinationAccess: {
        parameters: {
            query?: {
                /** @description The tenant (admin key only; default `default`) */
                tenantId?: components["schemas"]["TenantId"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What the customer's policies name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DestinationAccessInfo"];
                };
            };
            /** @description No valid API key: `unauthorized` */
            401: {
                headers: {
                    /** @description Bearer realm="hookrelay" */
                    "www-authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unauthorized";
                        };
                    };
                };
            };
            /** @description The key may not do this: `forbidden` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "forbidden";
                        };
                    };
                };
            };
            /** @description Invalid input: `validation_failed` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "validation_failed";
                        };
                    };
                };
            };
            /** @description Our fault: `internal_error` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                };
            };
            /** @description A dependency did not answer: retry after Retry-After seconds: `dependency_unavailable` */
            503: {
                headers: {
                    /** @description Seconds to wait (5) */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "dependency_unavailable";
                        };
                    };
                };
            };
        };
    };
    receiveDelivery: {
        parameters: {
            query?: never;
            header: {
                /** @description The event's `messageId` (`msg_…`, never the caller's `id`): the same on every attempt, replay and endpoint, so receivers can dedupe */
                "webhook-id": string;
                /** @description Unix seconds of this attempt */
                "webhook-timestamp": string;
                /** @description `v1,<base64 HMAC-SHA256 of {webhook-id}.{webhook-timestamp}.{body}>`, one per active secret, space-separated */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": unknown;
            };
        };
        responses: {
            /** @description Gone: the endpoint is disabled and gets no more deliveries */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Slow down: retried later, honouring Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Received: the delivery succeeded */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Failed: retried on the endpoint's schedule (3xx redirects are not followed) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
