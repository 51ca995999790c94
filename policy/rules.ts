// The CrossGuard rules of the karpenter-spark policy pack, in a module of their own: the pack
// (index.ts) registers them and the tests run them on rendered stacks, without the pack's server.
import type { ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { KARPENTER_CONTROLLER_POLICY_KINDS, karpenterControllerPolicies } from "../components/karpenter/iam";
import { IamPolicyDocument, IamStatement } from "../components/iamTypes";
import { SPARK_ROLE_KEY } from "../components/pools/specs";
import { EnvironmentTier, TIER_TAG } from "../components/tier";

const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";
const EC2_NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";

/** What a rule needs of a resource (the subset of CrossGuard's arguments the rules read). */
export interface Resource {
    type: string;
    urn: string;
    name: string;
    props: Record<string, any>;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The capacity types a NodePool allows, with Karpenter's default of on-demand when it sets none. */
export function nodePoolCapacityTypes(props: Record<string, any>): string[] {
    const requirements: any[] = props.spec?.template?.spec?.requirements ?? [];
    const r = requirements.filter((x) => x.key === "karpenter.sh/capacity-type");
    if (r.length === 0) {
        return ["on-demand"];
    }
    return ["spot", "on-demand", "reserved"].filter((ct) =>
        r.every((x) => (x.operator === "In" ? x.values.includes(ct) : x.operator === "NotIn" ? !x.values.includes(ct) : x.operator === "Exists")),
    );
}

const roleOf = (props: Record<string, any>) => props.spec?.template?.metadata?.labels?.[SPARK_ROLE_KEY];

function resourcePolicy(name: string, description: string, types: string[], check: (r: Resource) => string[]): ResourceValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: "mandatory",
        validateResource: (args, reportViolation: ReportViolation) => {
            if (types.includes(args.type)) {
                check(args).forEach((m) => reportViolation(m));
            }
        },
    };
}

/** Actions whose verb only reads (Describe, List, Get); writes on every resource are refused. */
const READ_VERB = /^[a-z0-9-]+:(Describe|List|Get|Head)[A-Za-z]*$/;

/**
 * Actions Karpenter's official template grants on "*", taken from the controller policies built
 * to match it (tests/contract/karpenterTemplate.spec.ts checks the match). Any other action on "*"
 * must be a read.
 */
export const TEMPLATE_WILDCARD_ACTIONS: string[] = (() => {
    const docs = karpenterControllerPolicies({ clusterName: "c", partition: "aws", region: "r", accountId: "0", nodeRoleArn: "n", interruptionQueueArn: "q" });
    return KARPENTER_CONTROLLER_POLICY_KINDS.flatMap((k) => docs[k].Statement)
        .filter((s) => list(s.Resource).includes("*"))
        .flatMap((s) => list(s.Action));
})();

function iamProblems(doc: IamPolicyDocument, where: string): string[] {
    const problems: string[] = [];
    for (const s of list<IamStatement>(doc.Statement)) {
        if (s.Effect !== "Allow") {
            continue;
        }
        const sid = s.Sid ? `statement ${s.Sid}` : "a statement";
        if ((s as any).NotAction !== undefined) {
            problems.push(`${where}: ${sid} allows NotAction, which grants every other action; list the actions instead.`);
        }
        const wildcard = list(s.Action).filter((a) => a === "*" || a.endsWith(":*"));
        if (wildcard.length) {
            problems.push(`${where}: ${sid} allows ${wildcard.join(", ")}; grant the actions it needs by name.`);
        }
        if (list(s.Resource).includes("*")) {
            const writes = list(s.Action).filter((a) => !wildcard.includes(a) && !READ_VERB.test(a) && !TEMPLATE_WILDCARD_ACTIONS.includes(a));
            if (writes.length) {
                problems.push(`${where}: ${sid} allows ${writes.join(", ")} on every resource ("*"); scope them to ARNs, as Karpenter's template does.`);
            }
        }
    }
    return problems;
}

function parseDocument(value: unknown): IamPolicyDocument | undefined {
    if (typeof value === "string") {
        try {
            return JSON.parse(value);
        } catch {
            return undefined;
        }
    }
    return value as IamPolicyDocument | undefined;
}

/**
 * The environment tier a resource was deployed for: the stack's environmentTier config key, which
 * the program tags on every resource (so the pack sees it in `pulumi preview` as well as offline).
 * A resource without the tag counts as production: the stricter rules apply unless a stack says otherwise.
 */
export function tierOf(props: Record<string, any>): string {
    return props.tags?.[TIER_TAG] ?? props.vpcConfig?.tags?.[TIER_TAG] ?? EnvironmentTier.Production;
}

export const executorPoolsAllowSpot = resourcePolicy(
    "executor-nodepools-allow-spot",
    "NodePools for Spark executors must allow Spot capacity (the point of the executor pool; without it executors that require Spot never schedule).",
    [NODE_POOL],
    (r) =>
        roleOf(r.props) === "executor" && !nodePoolCapacityTypes(r.props).includes("spot")
            ? [`NodePool ${r.props.metadata?.name} runs Spark executors but allows only ${nodePoolCapacityTypes(r.props).join(", ")}; add "spot" to its karpenter.sh/capacity-type requirement.`]
            : [],
);

export const driverPoolsForbidSpot = resourcePolicy(
    "driver-nodepools-forbid-spot",
    "NodePools for Spark drivers must not allow Spot capacity: a reclaimed driver fails the whole job.",
    [NODE_POOL],
    (r) =>
        roleOf(r.props) === "driver" && nodePoolCapacityTypes(r.props).includes("spot")
            ? [`NodePool ${r.props.metadata?.name} runs Spark drivers but allows Spot; restrict its karpenter.sh/capacity-type requirement to on-demand.`]
            : [],
);

export const nodePoolsHaveCpuLimit = resourcePolicy(
    "nodepools-have-cpu-limit",
    "Every NodePool caps its CPUs (spec.limits.cpu): the ceiling on what a runaway job or a misbehaving controller can spend.",
    [NODE_POOL],
    (r) => (r.props.spec?.limits?.cpu === undefined ? [`NodePool ${r.props.metadata?.name} has no spec.limits.cpu; set one.`] : []),
);

export const nodeClassesHardened = resourcePolicy(
    "ec2nodeclasses-imdsv2-encrypted",
    "EC2NodeClasses require IMDSv2 with a hop limit of 1 (pods cannot reach node credentials) and encrypt every EBS volume.",
    [EC2_NODE_CLASS],
    (r) => {
        const s = r.props.spec ?? {};
        const problems: string[] = [];
        const m = s.metadataOptions;
        // Karpenter's defaults (httpTokens required, hop limit 1) apply when metadataOptions is unset.
        if (m && (m.httpTokens !== "required" || m.httpPutResponseHopLimit !== 1)) {
            problems.push(`EC2NodeClass ${r.props.metadata?.name} must set metadataOptions.httpTokens "required" and httpPutResponseHopLimit 1.`);
        }
        const devices: any[] = s.blockDeviceMappings ?? [];
        if (devices.length === 0 || devices.some((d) => d.ebs?.encrypted !== true)) {
            problems.push(`EC2NodeClass ${r.props.metadata?.name} must declare its block devices with ebs.encrypted true.`);
        }
        return problems;
    },
);

export const iamNoWildcards = resourcePolicy(
    "iam-no-wildcard-actions",
    "No IAM policy allows * actions, and write actions on * resources only where Karpenter's official template does.",
    ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/role:Role"],
    (r) => {
        const docs: [string, unknown][] =
            r.type === "aws:iam/role:Role"
                ? list(r.props.inlinePolicies).map((p: any) => [`role ${r.name} inline policy ${p.name}`, p.policy])
                : [[`${r.type.split(":").pop()} ${r.props.name ?? r.name}`, r.props.policy]];
        return docs.flatMap(([where, raw]) => {
            const doc = parseDocument(raw);
            return doc ? iamProblems(doc, where) : [];
        });
    },
);

export const eksEndpointNotOpenInProd = resourcePolicy(
    "eks-endpoint-not-public-in-prod",
    `In the production tier (config key environmentTier, tag ${TIER_TAG}) the EKS API endpoint is not open to 0.0.0.0/0.`,
    ["eks:index:Cluster", "aws:eks/cluster:Cluster"],
    (r) => {
        if (tierOf(r.props) !== EnvironmentTier.Production) {
            return [];
        }
        const vpc = r.props.vpcConfig ?? r.props;
        const isPublic = vpc.endpointPublicAccess !== false;
        const cidrs: string[] = vpc.publicAccessCidrs ?? ["0.0.0.0/0"]; // EKS's default
        return isPublic && cidrs.includes("0.0.0.0/0")
            ? [`EKS cluster ${vpc.name ?? r.props.name ?? r.name} exposes its API endpoint to 0.0.0.0/0 in the production tier; set endpointPublicAccessCidrs to your networks or make it private.`]
            : [];
    },
);

/** Resources of a type, keyed by the property other resources refer to them by. */
const indexBy = (resources: Resource[], type: string, key: string) => new Map(resources.filter((r) => r.type === type).map((r) => [r.props[key], r]));

export const bucketsPrivateAndEncrypted: StackValidationPolicy = {
    name: "s3-buckets-private-encrypted",
    description: "Every S3 bucket blocks all public access and has default server-side encryption.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const resources = args.resources as Resource[];
        const blocks = indexBy(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "bucket");
        const encryption = indexBy(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "bucket");
        for (const b of resources.filter((r) => r.type === "aws:s3/bucket:Bucket")) {
            const id = b.props.bucket ?? b.props.id;
            const block = blocks.get(id)?.props;
            if (!block || !["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => block[k] === true)) {
                reportViolation(`S3 bucket ${id} must have a BucketPublicAccessBlock with all four settings true.`, b.urn);
            }
            if (!encryption.get(id)?.props.rules?.some((rule: any) => rule.applyServerSideEncryptionByDefault?.sseAlgorithm)) {
                reportViolation(`S3 bucket ${id} must have default server-side encryption.`, b.urn);
            }
        }
    },
};

export const interruptionQueueEncryptedTlsOnly: StackValidationPolicy = {
    name: "interruption-queue-encrypted-tls-only",
    description: "SQS queues (Karpenter's interruption queue) are encrypted at rest and refuse requests without TLS.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const resources = args.resources as Resource[];
        const policies = indexBy(resources, "aws:sqs/queuePolicy:QueuePolicy", "queueUrl");
        for (const q of resources.filter((r) => r.type === "aws:sqs/queue:Queue")) {
            if (q.props.sqsManagedSseEnabled !== true && !q.props.kmsMasterKeyId) {
                reportViolation(`SQS queue ${q.props.name} must enable encryption at rest (sqsManagedSseEnabled or a KMS key).`, q.urn);
            }
            const doc = parseDocument(policies.get(q.props.url)?.props.policy);
            const denies = list<IamStatement>(doc?.Statement).some(
                (s) => s.Effect === "Deny" && list(s.Action).some((a) => a === "sqs:*" || a === "*") && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false",
            );
            if (!denies) {
                reportViolation(`SQS queue ${q.props.name} must have a queue policy denying requests where aws:SecureTransport is false.`, q.urn);
            }
        }
    },
};

export const resourceRules: ResourceValidationPolicy[] = [executorPoolsAllowSpot, driverPoolsForbidSpot, nodePoolsHaveCpuLimit, nodeClassesHardened, iamNoWildcards, eksEndpointNotOpenInProd];
export const stackRules: StackValidationPolicy[] = [bucketsPrivateAndEncrypted, interruptionQueueEncryptedTlsOnly];
