import { Problem } from "./index";

// Tags every AWS resource of the platform carries. AWS's rules
// (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions): at most
// 50 user tags per resource, keys 1-128 and values 0-256 characters of letters, digits, spaces
// and _ . : / = + - @, and no key starting with the reserved "aws:". Karpenter refuses tags it sets
// itself on the EC2NodeClass (the CRD's CEL rules on spec.tags, v1.14.1).

export const MAX_USER_TAGS = 50;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Tag keys Karpenter sets on the instances it launches and so refuses in an EC2NodeClass. */
export const KARPENTER_RESERVED_TAGS = ["eks:eks-cluster-name", "karpenter.sh/nodepool", "karpenter.sh/nodeclaim", "karpenter.k8s.aws/ec2nodeclass"];
export const KARPENTER_RESERVED_TAG_PREFIXES = ["kubernetes.io/cluster"];

/**
 * The user's tags, checked together with the tags the component adds (`added`, counted against
 * the 50 and not to be overridden), and with Karpenter's reserved keys where they reach an EC2NodeClass.
 */
export function tagProblems(subject: string, tags: unknown, added: string[], reachesKarpenter: boolean): Problem[] {
    if (tags === undefined) {
        return [];
    }
    if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
        return [{ subject, value: tags, allowed: 'a map of tag keys to string values, e.g. {"team": "data"}' }];
    }
    const problems: Problem[] = [];
    const entries = Object.entries(tags as Record<string, unknown>);
    const total = new Set([...entries.map(([k]) => k), ...added]).size;
    if (total > MAX_USER_TAGS) {
        problems.push({ subject, value: `${entries.length} tags`, allowed: `at most ${MAX_USER_TAGS - added.length} tags: AWS allows ${MAX_USER_TAGS} per resource and the component adds ${added.join(", ")}` });
    }
    for (const [k, v] of entries) {
        const at = `${subject}[${JSON.stringify(k)}]`;
        if (k.length < 1 || k.length > 128 || !TAG_CHARS.test(k)) {
            problems.push({ subject: `${subject} key`, value: k, allowed: "1 to 128 letters, digits, spaces and _ . : / = + - @" });
        } else if (k.toLowerCase().startsWith("aws:")) {
            problems.push({ subject: `${subject} key`, value: k, allowed: 'a key not starting with "aws:", which AWS reserves for its own tags' });
        } else if (added.includes(k)) {
            problems.push({ subject: `${subject} key`, value: k, allowed: `a key other than ${added.map((a) => JSON.stringify(a)).join(", ")}, which the component sets itself` });
        } else if (reachesKarpenter && (KARPENTER_RESERVED_TAGS.includes(k) || KARPENTER_RESERVED_TAG_PREFIXES.some((p) => k.startsWith(p)))) {
            problems.push({ subject: `${subject} key`, value: k, allowed: `a key Karpenter does not reserve (it sets ${[...KARPENTER_RESERVED_TAGS, "kubernetes.io/cluster/*"].join(", ")} itself)` });
        }
        if (typeof v !== "string" || v.length > 256 || !TAG_CHARS.test(v)) {
            problems.push({ subject: at, value: v, allowed: "a string of 0 to 256 letters, digits, spaces and _ . : / = + - @" });
        }
    }
    return problems;
}
