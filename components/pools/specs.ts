import { CapacityType, ConsolidationPolicy, SparkRole } from "../enums";

// The Karpenter objects as plain Kubernetes manifests. tests/contract/karpenterCrds.spec.ts
// validates everything the stacks render against the v1.14.1 CRDs (schema and CEL rules).

/** Node label and taint key that keep each Spark role on its own pool. */
export const SPARK_ROLE_KEY = "karpenter-spark.io/spark-role";

/**
 * Foreground deletion: `pulumi destroy` (and any replacement) waits until Kubernetes has deleted
 * the object's dependents, a NodePool's NodeClaims and through their finalizers the EC2 instances.
 * It is the Kubernetes provider's default already (pulumi/pulumi-kubernetes#3011 added the
 * annotation to choose another); it is spelled out so that no provider default change or
 * provider-level setting can turn it into a background delete that returns while instances run.
 */
export const FOREGROUND_DELETION = { "pulumi.com/deletionPropagationPolicy": "foreground" } as const;

/**
 * The AMI release Karpenter pins nodes to unless asked for another: the newest release in
 * awslabs/amazon-eks-ami's CHANGELOG.md at 81fec2e (2026-07-23), "AMI Release v20260714", built
 * for Kubernetes 1.30 to 1.36 (AL2023 x86_64 and arm64 standard). tools/mocks.ts lists the
 * releases the offline render knows.
 */
export const DEFAULT_AMI_VERSION = "v20260714";

/** SSM parameter architectures of Kubernetes' arch names. */
export const SSM_ARCH: Record<string, string> = { amd64: "x86_64", arm64: "arm64" };

/**
 * The public SSM parameter holding the image ID of one AL2023 release, the path Karpenter itself
 * resolves `al2023@<release>` through (aws/karpenter-provider-aws pkg/providers/amifamily/al2023.go,
 * resolvePath; https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id.html).
 */
export function al2023ParameterName(kubernetesVersion: string, architecture: string, release: string): string {
    const arch = SSM_ARCH[architecture] ?? architecture;
    return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${arch}/standard/amazon-eks-node-al2023-${arch}-standard-${kubernetesVersion}-${release}/image_id`;
}

/** Annotation on the EC2NodeClass with the image IDs the pinned release resolved to at preview. */
export const AMI_IDS_ANNOTATION = "karpenter-spark.io/ami-ids";

export interface KubernetesManifest {
    apiVersion: string;
    kind: string;
    metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
    spec: Record<string, unknown>;
}

/** apiVersion and kind of the two Karpenter object types the project applies. */
export const EC2_NODE_CLASS_TYPE = { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass" } as const;
export const NODE_POOL_TYPE = { apiVersion: "karpenter.sh/v1", kind: "NodePool" } as const;

export interface NodeClassInput {
    name: string;
    clusterName: string;
    nodeRoleName: string;
    /** AL2023 release such as "v20260818", or "latest". */
    amiVersion: string;
    rootVolumeSizeGi: number;
    instanceStoreRaid0: boolean;
    tags: Record<string, string>;
    /** Image IDs the release resolved to (for the annotation); unset when not checked. */
    amiIds?: string[];
}

export function ec2NodeClassManifest(i: NodeClassInput): KubernetesManifest {
    const discovery = { "karpenter.sh/discovery": i.clusterName };
    return {
        ...EC2_NODE_CLASS_TYPE,
        metadata: { name: i.name, annotations: { ...FOREGROUND_DELETION, ...(i.amiIds ? { [AMI_IDS_ANNOTATION]: i.amiIds.join(",") } : {}) } },
        spec: {
            role: i.nodeRoleName,
            // A pinned alias: nodes change AMI only when the stack says so (then they drift, within
            // the NodePools' disruption budgets), never because AWS published a new image.
            amiSelectorTerms: [{ alias: `al2023@${i.amiVersion}` }],
            subnetSelectorTerms: [{ tags: discovery }],
            securityGroupSelectorTerms: [{ tags: discovery }],
            // IMDSv2 only, and a hop limit of 1 so that pods cannot reach the node's credentials:
            // Spark pods get theirs from EKS Pod Identity.
            metadataOptions: {
                httpEndpoint: "enabled",
                httpProtocolIPv6: "disabled",
                httpPutResponseHopLimit: 1,
                httpTokens: "required",
            },
            blockDeviceMappings: [
                {
                    deviceName: "/dev/xvda",
                    rootVolume: true,
                    ebs: {
                        volumeSize: `${i.rootVolumeSizeGi}Gi`,
                        volumeType: "gp3",
                        encrypted: true,
                        deleteOnTermination: true,
                    },
                },
            ],
            // RAID0 puts the instance-store NVMe disks under the kubelet and container storage, so
            // Spark's shuffle and spill files use them on the d-suffixed families.
            ...(i.instanceStoreRaid0 ? { instanceStorePolicy: "RAID0" } : {}),
            tags: i.tags,
        },
    };
}

export interface DisruptionBudget {
    /** Nodes that may be disrupted at once: a count ("2") or a percentage ("10%"). */
    nodes: string;
    /** Cron schedule when the budget starts applying; set together with duration. */
    schedule?: string;
    /** How long the budget applies after each schedule hit, e.g. "8h"; set together with schedule. */
    duration?: string;
    /** Disruption reasons the budget limits (Underutilized, Empty, Drifted); all when unset. */
    reasons?: string[];
}

export interface NodePoolInput {
    name: string;
    nodeClassName: string;
    role: SparkRole;
    capacityTypes: CapacityType[];
    categories: string[];
    generationGreaterThan: number;
    families?: string[];
    sizes?: string[];
    architectures: string[];
    /** Minimum number of distinct instance types each launch may choose from. */
    minInstanceTypes?: number;
    /** Minimum number of distinct instance families each launch may choose from. */
    minInstanceFamilies?: number;
    /** Largest instance allowed, in vCPUs; any when unset. */
    maxInstanceVcpus?: number;
    /** Leave out bare-metal sizes. */
    excludeMetal?: boolean;
    cpuLimit: number;
    memoryLimitGi?: number;
    consolidationPolicy: ConsolidationPolicy;
    consolidateAfter: string;
    budgets: DisruptionBudget[];
    expireAfter: string;
    terminationGracePeriod?: string;
    weight?: number;
}

/** The bare-metal instance sizes of the instance catalog. */
export const METAL_SIZES = ["metal", "metal-12xl", "metal-16xl", "metal-24xl", "metal-32xl", "metal-48xl", "metal-96xl"] as const;

interface Requirement {
    key: string;
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
    values?: string[];
    minValues?: number;
}

export function nodePoolRequirements(i: NodePoolInput): Requirement[] {
    const requirements: Requirement[] = [
        { key: "karpenter.sh/capacity-type", operator: "In", values: [...i.capacityTypes] },
        // No minValues on categories: a memory-heavy executor set fits only r types at large sizes, and a
        // category floor would stop NodeClaims growing there (bench:costs: CPU utilization 85% -> 90%).
        // Families give the Spot diversity instead (minInstanceFamilies).
        { key: "karpenter.k8s.aws/instance-category", operator: "In", values: [...i.categories] },
        { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: [String(i.generationGreaterThan)] },
        { key: "kubernetes.io/arch", operator: "In", values: [...i.architectures] },
        { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
    ];
    if (i.families) {
        requirements.push({ key: "karpenter.k8s.aws/instance-family", operator: "In", values: [...i.families] });
    }
    if (i.sizes) {
        requirements.push({ key: "karpenter.k8s.aws/instance-size", operator: "In", values: [...i.sizes] });
    }
    if (i.maxInstanceVcpus !== undefined) {
        requirements.push({ key: "karpenter.k8s.aws/instance-cpu", operator: "Lt", values: [String(i.maxInstanceVcpus + 1)] });
    }
    if (i.excludeMetal) {
        // Bare metal boots in minutes, not seconds, and is billed all that time.
        requirements.push({ key: "karpenter.k8s.aws/instance-size", operator: "NotIn", values: [...METAL_SIZES] });
    }
    if (i.minInstanceFamilies !== undefined) {
        // Spot best practice: be flexible across families, not only sizes (https://karpenter.sh/docs/concepts/nodepools/#min-values).
        requirements.push({ key: "karpenter.k8s.aws/instance-family", operator: "Exists", minValues: i.minInstanceFamilies });
    }
    if (i.minInstanceTypes !== undefined) {
        // Spot capacity is deepest when EC2 may pick among many pools: Karpenter refuses to launch
        // unless at least this many instance types remain after the pod's own constraints.
        requirements.push({ key: "node.kubernetes.io/instance-type", operator: "Exists", minValues: i.minInstanceTypes });
    }
    return requirements;
}

/** Seconds in a Karpenter duration ("1h30m", "90s"). */
export function durationSeconds(d: string): number {
    const unit: Record<string, number> = { s: 1, m: 60, h: 3600 };
    return [...d.matchAll(/(\d+)([smh])/g)].reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
}

/** Margin over the pools' terminationGracePeriod for the instance to terminate and the finalizers to clear. */
export const DELETE_MARGIN_SECONDS = 600;

/**
 * How long Pulumi waits for a NodePool or EC2NodeClass delete: the longest the pools' nodes may take
 * to drain (terminationGracePeriod, after which Karpenter forces them) plus a margin, instead of the
 * Kubernetes provider's 10 minutes (https://www.pulumi.com/registry/packages/kubernetes/api-docs/apiextensions/customresource/).
 */
export function deleteTimeout(terminationGracePeriods: (string | undefined)[]): string {
    const longest = Math.max(0, ...terminationGracePeriods.map((t) => (t ? durationSeconds(t) : 0)));
    return `${Math.ceil((longest + DELETE_MARGIN_SECONDS) / 60)}m`;
}

export function nodePoolManifest(i: NodePoolInput): KubernetesManifest {
    const limits: Record<string, string> = { cpu: String(i.cpuLimit) };
    if (i.memoryLimitGi !== undefined) {
        limits.memory = `${i.memoryLimitGi}Gi`;
    }
    return {
        ...NODE_POOL_TYPE,
        metadata: { name: i.name, annotations: { ...FOREGROUND_DELETION } },
        spec: {
            template: {
                metadata: { labels: { [SPARK_ROLE_KEY]: i.role } },
                spec: {
                    nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: i.nodeClassName },
                    requirements: nodePoolRequirements(i),
                    taints: [{ key: SPARK_ROLE_KEY, value: i.role, effect: "NoSchedule" }],
                    expireAfter: i.expireAfter,
                    ...(i.terminationGracePeriod ? { terminationGracePeriod: i.terminationGracePeriod } : {}),
                },
            },
            limits,
            disruption: {
                consolidationPolicy: i.consolidationPolicy,
                consolidateAfter: i.consolidateAfter,
                budgets: i.budgets.map((b) => ({ ...b })),
            },
            ...(i.weight !== undefined ? { weight: i.weight } : {}),
        },
    };
}
