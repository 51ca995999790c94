import { karpenterControllerPolicyName, KARPENTER_CONTROLLER_POLICY_KINDS, karpenterControllerRoleName, karpenterNodeRoleName } from "../karpenter/iam";
import { interruptionQueueName, INTERRUPTION_RULES } from "../karpenter/interruption";
import { Problem } from "./index";

// Physical names AWS must accept. Names the code sets itself (from the cluster name) are kept
// within the limits by construction (components/naming.ts shortens them with a hash); names
// Pulumi generates from a component's resource name (`<logical name>-<7 hex>`) are checked here,
// so that a long or oddly spelled component name is refused before anything is registered.

export interface NameRule {
    min: number;
    max: number;
    pattern: RegExp;
    chars: string;
    doc: string;
}

export const NAME_RULES = {
    iamRole: { min: 1, max: 64, pattern: /^[\w+=,.@-]+$/, chars: "letters, digits and + = , . @ _ -", doc: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html" },
    iamPolicy: { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, chars: "letters, digits and + = , . @ _ -", doc: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html" },
    iamRolePolicy: { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, chars: "letters, digits and + = , . @ _ -", doc: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html" },
    instanceProfile: { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, chars: "letters, digits and + = , . @ _ -", doc: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html" },
    sqsQueue: { min: 1, max: 80, pattern: /^[A-Za-z0-9_-]+$/, chars: "letters, digits, - and _", doc: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html" },
    eventRule: { min: 1, max: 64, pattern: /^[.\-_A-Za-z0-9]+$/, chars: "letters, digits and . - _", doc: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html" },
    s3Bucket: {
        min: 3,
        max: 63,
        pattern: /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9-]*[a-z0-9]$/,
        chars: "lowercase letters, digits and hyphens (no underscores, no capitals), starting and ending with a letter or digit",
        doc: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
    },
    eksCluster: { min: 1, max: 100, pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/, chars: "letters, digits, - and _, starting with a letter or digit", doc: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html" },
    eksNodeGroup: { min: 1, max: 63, pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/, chars: "letters, digits, - and _", doc: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html" },
    kmsAlias: { min: 7, max: 256, pattern: /^alias\/(?!aws\/)[a-zA-Z0-9/_-]+$/, chars: '"alias/" then letters, digits, / _ -, not "alias/aws/"', doc: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html" },
} as const satisfies Record<string, NameRule>;
export type NameKind = keyof typeof NAME_RULES;

/** Pulumi's auto-naming appends "-" and 7 random hex characters to the logical name. */
export const AUTONAME_SUFFIX = 8;

/** One physical name a component sets or has Pulumi generate. */
export interface PhysicalName {
    kind: NameKind;
    /** The name, or for an auto-named resource its logical name (the prefix of the physical one). */
    name: string;
    autonamed: boolean;
}

/** What is wrong with one physical name, or undefined. */
export function physicalNameProblem(n: PhysicalName): string | undefined {
    const rule: NameRule = NAME_RULES[n.kind];
    const length = n.name.length + (n.autonamed ? AUTONAME_SUFFIX : 0);
    const shown = n.autonamed ? `${n.name}-xxxxxxx` : n.name;
    if (length > rule.max || length < rule.min) {
        return `the ${n.kind} name "${shown}" would be ${length} characters; AWS allows ${rule.min}-${rule.max} (${rule.doc})`;
    }
    const sample = n.autonamed ? `${n.name}-abcdef0` : n.name;
    if (!rule.pattern.test(sample)) {
        return `the ${n.kind} name "${shown}" would break AWS's rule: ${rule.chars} (${rule.doc})`;
    }
    return undefined;
}

/** The physical names KarpenterCluster sets or has generated, for a component and cluster name. */
export function karpenterClusterNames(name: string, clusterName: string): PhysicalName[] {
    return [
        { kind: "eksCluster", name: clusterName, autonamed: false },
        { kind: "eksNodeGroup", name: "system", autonamed: false },
        { kind: "iamRole", name: karpenterNodeRoleName(clusterName), autonamed: false },
        { kind: "iamRole", name: karpenterControllerRoleName(clusterName), autonamed: false },
        ...KARPENTER_CONTROLLER_POLICY_KINDS.map((k) => ({ kind: "iamPolicy" as const, name: karpenterControllerPolicyName(k, clusterName), autonamed: false })),
        { kind: "sqsQueue", name: interruptionQueueName(clusterName), autonamed: false },
        { kind: "iamRole", name: `${name}-eks-role`, autonamed: true },
        { kind: "iamRolePolicy", name: `${name}-eks-role-secrets-key`, autonamed: true },
        { kind: "iamRole", name: `${name}-system-node-role`, autonamed: true },
        ...INTERRUPTION_RULES.map((r) => ({ kind: "eventRule" as const, name: `${name}-${r.name}`, autonamed: true })),
    ];
}

/** The physical names SparkOperator has generated. */
export function sparkOperatorNames(name: string): PhysicalName[] {
    return [
        { kind: "iamRole", name: `${name}-event-log-writer`, autonamed: true },
        { kind: "iamRole", name: `${name}-history-reader`, autonamed: true },
        { kind: "iamRolePolicy", name: `${name}-event-log-writer-policy`, autonamed: true },
        { kind: "iamRolePolicy", name: `${name}-history-reader-policy`, autonamed: true },
        { kind: "s3Bucket", name: `${name}-event-logs`, autonamed: true },
    ];
}

/**
 * The component name (and cluster name) problems: each physical name that would break, reported
 * against the argument it comes from. The longest accepted component name is in the message.
 */
export function physicalNameProblems(names: PhysicalName[], componentName: string, clusterNameArg?: { subject: string; value: string }): Problem[] {
    const problems: Problem[] = [];
    for (const n of names) {
        const problem = physicalNameProblem(n);
        if (!problem) {
            continue;
        }
        const fromComponent = n.autonamed;
        const longest = fromComponent ? longestComponentName(names, n, componentName) : undefined;
        problems.push({
            subject: fromComponent ? "name (the component's resource name)" : clusterNameArg?.subject ?? "name",
            value: fromComponent ? componentName : clusterNameArg?.value,
            allowed: `a name that gives AWS a valid physical name: ${problem}${longest !== undefined ? `; at most ${longest} characters here` : ""}`,
        });
    }
    return problems;
}

function longestComponentName(_names: PhysicalName[], n: PhysicalName, componentName: string): number {
    const suffix = n.name.slice(componentName.length);
    return NAME_RULES[n.kind].max - AUTONAME_SUFFIX - suffix.length;
}
