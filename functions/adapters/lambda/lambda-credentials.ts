import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (an esbuild alias set by
 * the CDK construct). Lambda hands every function its role's credentials in the environment; the
 * SDK's default chain (ini files, SSO, STS web identity, IMDS, ...) would add about 130 KB to each
 * bundle and cold start to find the same thing. Unbundled code (the local stack, tests) keeps the
 * SDK's own chain.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
