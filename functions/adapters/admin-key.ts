import { createHash, timingSafeEqual } from "node:crypto";
import { DependencyError } from "../core/errors.ts";

/** Compares a presented bearer key with the admin key in constant time (both are hashed first). */
export class AdminKey {
  private readonly digest: Buffer;
  constructor(key: string) {
    this.digest = sha256(key);
  }

  matches(presented: string): boolean {
    return timingSafeEqual(sha256(presented), this.digest);
  }
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** The admin key from ADMIN_API_KEY, or read once from Secrets Manager when only its ARN is given. */
export async function loadAdminKey(config: { adminApiKey?: string; adminApiKeySecretArn?: string }): Promise<AdminKey> {
  if (config.adminApiKey) return new AdminKey(config.adminApiKey);
  if (!config.adminApiKeySecretArn) throw new Error("Set ADMIN_API_KEY or ADMIN_API_KEY_SECRET_ARN");
  const { SecretsManagerClient, GetSecretValueCommand } = await import("@aws-sdk/client-secrets-manager");
  const client = new SecretsManagerClient({ maxAttempts: 3 });
  let secret: string | undefined;
  try {
    secret = (await client.send(new GetSecretValueCommand({ SecretId: config.adminApiKeySecretArn }))).SecretString;
  } catch (cause) {
    throw new DependencyError("secretsmanager", "Could not read the admin key", { cause });
  }
  if (!secret) throw new Error("The admin key secret has no string value");
  return new AdminKey(secret);
}
