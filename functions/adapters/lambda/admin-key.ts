import { DependencyError } from "../../core/kernel/errors.ts";

/** The admin key from ADMIN_API_KEY, or read once from Secrets Manager when only its ARN is given. */
export async function loadAdminKey(config: { adminApiKey?: string; adminApiKeySecretArn?: string }): Promise<string> {
  if (config.adminApiKey) return config.adminApiKey;
  if (!config.adminApiKeySecretArn) throw new Error("Set ADMIN_API_KEY or ADMIN_API_KEY_SECRET_ARN");
  const { SecretsManagerClient, GetSecretValueCommand } = await import("@aws-sdk/client-secrets-manager");
  const client = new SecretsManagerClient({ maxAttempts: 3, requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 } });
  let secret: string | undefined;
  try {
    secret = (await client.send(new GetSecretValueCommand({ SecretId: config.adminApiKeySecretArn }))).SecretString;
  } catch (cause) {
    throw new DependencyError("secretsmanager", "Could not read the admin key", { cause });
  }
  if (!secret) throw new Error("The admin key secret has no string value");
  return secret;
}
