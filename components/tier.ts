// The environment tier of a deployment, as the stacks set it (config key environmentTier) and the
// policy pack reads it: a tag on every resource, so that `pulumi preview --policy-pack` sees the
// same tier as the offline runner. Here, in the library, because both stacks/ and policy/ may
// depend on components/ and on nothing else.

/** Environment tiers: the policy pack selects its production-only rules by the tier, not by the stack's name. */
export const EnvironmentTier = {
    Development: "development",
    Production: "production",
} as const;
export type EnvironmentTier = (typeof EnvironmentTier)[keyof typeof EnvironmentTier];

/** The tag carrying the tier on every resource. */
export const TIER_TAG = "karpenter-spark.io/tier";
