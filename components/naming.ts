import { createHash } from "crypto";

// AWS caps names well below EKS's 100-character cluster names (IAM roles 64, IAM policies 128,
// SQS queues 80, EventBridge rules 64). Names keep the Karpenter documentation's form
// `<Prefix>-<cluster>` whenever it fits, so that they match what operators find in the docs;
// only a name that would overflow is shortened, with a hash of the full cluster name so that
// two long cluster names never collide.

/** `${prefix}${clusterName}`, shortened to at most `max` characters when it would not fit. */
export function boundedName(prefix: string, clusterName: string, max: number): string {
    const full = `${prefix}${clusterName}`;
    if (full.length <= max) {
        return full;
    }
    const hash = createHash("sha256").update(clusterName).digest("hex").slice(0, 8);
    return `${prefix}${clusterName.slice(0, max - prefix.length - hash.length - 1)}-${hash}`;
}

/** AWS naming limits the components rely on. */
export const NAME_LIMITS = {
    iamRole: 64,
    iamPolicy: 128,
    sqsQueue: 80,
    eventRule: 64,
} as const;
