import * as v from "valibot";
import { SIGNATURE_HEADER_STYLES } from "../endpoints/signature-headers.ts";

/*
 * The schema of a tenant's settings, which only the API reads (a tenant's record, PUT and PATCH);
 * apart from retention.ts, so that the workers, which read the settings through TenantStatusCache,
 * do not build it at every cold start.
 */

/** A tenant's settings, kept on its record. */
export const TenantSettings = v.strictObject({
  retentionDays: v.optional(
    v.nullable(v.pipe(v.number(), v.integer(), v.description("Days events, attempts and feed items are kept; null: LOG_RETENTION_DAYS"))),
  ),
  signatureHeaders: v.optional(
    v.nullable(
      v.pipe(
        v.picklist(SIGNATURE_HEADER_STYLES),
        v.description("The signature header names of its endpoints that choose none: webhook-*, svix-* or both; null: SIGNATURE_HEADERS"),
      ),
    ),
  ),
});
export type TenantSettingsInput = v.InferOutput<typeof TenantSettings>;
