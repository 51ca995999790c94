import * as pulumi from "@pulumi/pulumi";
import { Architecture, CapacityType, ConsolidationPolicy, InstanceCategory, SparkRole } from "../enums";
import { DEFAULT_AMI_VERSION, deleteTimeout, DisruptionBudget, NodeClassInput, nodePoolManifest, NodePoolInput } from "../pools/specs";
import { ArgChecker, defaultRegion, DNS1123_LABEL, KARPENTER_DURATION, KARPENTER_DURATION_OR_NEVER, requireArgsObject } from "../validation";
import { budgetProblems } from "../validation/kubernetes";
import { sparkPodRequest } from "../spark/podSize";
import { ArgOfRequirement, launchabilityProblems, PodRequest, poolCapacity, PoolCapacity, regionProblems } from "../validation/launchability";
import { tagProblems } from "../validation/tags";
import { amiVersionProblems } from "../validation/versions";
import { nodeClassCrdCheck, nodePoolCrdCheck } from "./crds";

export interface SpotExecutorPoolArgs {
    /**
     * Name of the EKS cluster; the value of the karpenter.sh/discovery tag the node class selects by.
     * As an Output, the EC2NodeClass's CRD check of it waits until it resolves (preview fails then).
     */
    clusterName: pulumi.Input<string>;
    /** Name of the IAM role Karpenter's nodes run as (KarpenterCluster's nodeRoleName); as an Output, checked like clusterName. */
    nodeRoleName: pulumi.Input<string>;
    /**
     * Base name of the Kubernetes objects: the EC2NodeClass `<poolName>`, the NodePools
     * `<poolName>-drivers` and `<poolName>-executors`. A DNS label of at most 53 characters.
     * Changing it replaces the pools (their nodes drain and are replaced).
     * @default the component's resource name
     */
    poolName?: string;
    /**
     * EKS-optimised AL2023 AMI release for the nodes, e.g. "v20260714" (see the amazon-eks-ami
     * releases). Pinned so that an AMI changes only when the stack changes it; "latest" follows
     * every AWS release, drifting nodes whenever one appears.
     * @default "v20260714"
     */
    amiVersion?: string;
    /**
     * The cluster's Kubernetes minor (KarpenterCluster's kubernetesVersion output). With it, a
     * pinned amiVersion is resolved at preview through its public SSM parameter, so a release
     * that does not exist fails `pulumi preview` instead of leaving every job Pending.
     * @default unchecked (a warning says so)
     */
    kubernetesVersion?: pulumi.Input<string>;
    /**
     * Size of each node's encrypted gp3 root volume in GiB (images, logs, and Spark's shuffle
     * files unless the instance store is used).
     * @default 100
     */
    rootVolumeSizeGi?: number;
    /**
     * Put the instance-store NVMe disks of d-suffixed families (m6id, r6gd, ...) in a RAID0 array
     * under the kubelet and containers, for shuffle-heavy jobs.
     * @default false
     */
    instanceStoreRaid0?: boolean;

    /**
     * Instance categories the executor pool may launch. Compute, general purpose and memory
     * optimised by default: wide enough for deep Spot capacity.
     * @default ["c", "m", "r"]
     */
    executorInstanceCategories?: InstanceCategory[];
    /**
     * Executors run on instance generations greater than this (Karpenter's Gt operator). 4 leaves
     * the Xen-based c4/m4/r4 and older out: the c, m and r families from generation 5 on are built
     * on the Nitro System. Among a NodeClaim's types they are also what price-capacity-optimized
     * would otherwise pick for its low interruption band at up to 1.7x the cheapest type's price.
     * @default 4
     */
    executorGenerationGreaterThan?: number;
    /** Instance families the executor pool is limited to, e.g. ["m7i", "r7i"]; unrestricted when unset. */
    executorInstanceFamilies?: string[];
    /** Instance sizes the executor pool is limited to, e.g. ["2xlarge", "4xlarge"]; unrestricted when unset. */
    executorInstanceSizes?: string[];
    /**
     * CPU architectures for executors; add "arm64" only if the Spark image is multi-arch.
     * @default ["amd64"]
     */
    executorArchitectures?: Architecture[];
    /**
     * Capacity types for executors. Must include "spot"; add "on-demand" to fall back to it when
     * Spot is short (Karpenter launches Spot whenever both are allowed and Spot is available).
     * @default ["spot"]
     */
    executorCapacityTypes?: CapacityType[];
    /**
     * Each executor launch must be able to choose among at least this many instance types
     * (Karpenter's minValues), so that EC2 can place Spot requests in the deepest pools.
     * @default 10
     */
    executorMinInstanceTypes?: number;
    /**
     * Each executor launch must be able to choose among at least this many instance families
     * (Karpenter's minValues): Spot capacity spread across families, not only sizes of one.
     * @default 5
     */
    executorMinInstanceFamilies?: number;
    /**
     * Largest executor instance, in vCPUs. 32 (8xlarge): one Spot interruption takes at most 32
     * cores of executors, and a NodeClaim's types stay of like size and price, so what
     * price-capacity-optimized launches costs about what the cheapest type would (bench:costs).
     * Memory-heavy executors (7 GiB per core) fill 7 of 8 cores of an r 8xlarge; 64 packs them
     * 15 of 16 but launches dearer types.
     * @default 32
     */
    executorMaxInstanceVcpus?: number;
    /**
     * Total vCPUs the executor pool may run at once: the ceiling on what a runaway job can cost.
     * @default 1000
     */
    executorCpuLimit?: number;
    /** Total memory the executor pool may run at once, in GiB; unlimited when unset. */
    executorMemoryLimitGi?: number;
    /**
     * When Karpenter may consolidate executor nodes. "WhenEmpty" never evicts a running executor
     * for cost: moving executors off an under-utilized node mid-job loses their shuffle files and
     * recomputes stages (README, "Consolidation"). "WhenEmptyOrUnderutilized" and "Balanced" trade
     * that for a lower bill between jobs.
     * @default "WhenEmpty"
     */
    executorConsolidationPolicy?: ConsolidationPolicy;
    /**
     * How long a node must be consolidatable before Karpenter acts, e.g. "0s", "1m" or "Never".
     * "0s" (Karpenter's own default) removes an empty executor node about 20 s after its last
     * executor leaves; "1m" keeps it for a job that follows within the minute (a pipeline's next
     * task) at a minute of node time for every job that does not.
     * @default "0s"
     */
    executorConsolidateAfter?: string;
    /**
     * Limits on how many executor nodes Karpenter disrupts at once, by reason: empty nodes all at
     * once, drift (AMI, Kubernetes version, pool changes) and under-utilization 10% at a time.
     * @default [{ nodes: "100%", reasons: ["Empty"] }, { nodes: "10%", reasons: ["Drifted", "Underutilized"] }]
     */
    executorDisruptionBudgets?: DisruptionBudget[];
    /**
     * Executor nodes are replaced after this age, e.g. "720h", or "Never".
     * @default "720h"
     */
    executorExpireAfter?: string;
    /**
     * The longest a Spark job may run: both pools' terminationGracePeriod, so that an expired or
     * drifted node whose driver carries karpenter.sh/do-not-disrupt is drained at the latest this
     * long after Karpenter starts, instead of never; also bounds how long `pulumi destroy` waits.
     * @default "24h"
     */
    maxJobDuration?: string;
    /**
     * The longest Karpenter waits for an executor node to drain before it forces it, e.g. "10m".
     * @default maxJobDuration
     */
    executorTerminationGracePeriod?: string;
    /** Priority of the executor pool among NodePools that could run the same pods (1-100); none when unset. */
    executorWeight?: number;

    /**
     * Instance categories the driver pool may launch.
     * @default ["c", "m", "r"]
     */
    driverInstanceCategories?: InstanceCategory[];
    /**
     * Drivers run on instance generations greater than this: Nitro-based types only, as for executors.
     * @default 4
     */
    driverGenerationGreaterThan?: number;
    /**
     * CPU architectures for drivers.
     * @default ["amd64"]
     */
    driverArchitectures?: Architecture[];
    /**
     * Capacity types for drivers. Must not include "spot": an interrupted driver fails the job.
     * @default ["on-demand"]
     */
    driverCapacityTypes?: CapacityType[];
    /**
     * Total vCPUs the driver pool may run at once.
     * @default 100
     */
    driverCpuLimit?: number;
    /**
     * How long an empty driver node stays up for the next job, e.g. "1m". Driver nodes are only
     * ever consolidated when empty, so a running driver is never interrupted.
     * @default "0s"
     */
    driverConsolidateAfter?: string;
    /**
     * Driver nodes are replaced after this age (running drivers keep theirs until they finish).
     * @default "720h"
     */
    driverExpireAfter?: string;
    /**
     * Tags for the EC2 instances, volumes and network interfaces Karpenter launches.
     * @default {}
     */
    tags?: Record<string, string>;
    /**
     * AWS region the pools launch in, used to prove from the instance catalog that each pool can
     * launch a node there (it does not choose the region: the AWS provider does).
     * @default the stack's aws:region
     */
    region?: string;
}

/** The arguments with every default applied and every value checked. */
export interface ResolvedSpotExecutorPoolArgs {
    clusterName: pulumi.Input<string>;
    nodeRoleName: pulumi.Input<string>;
    poolName: string;
    amiVersion: string;
    kubernetesVersion?: pulumi.Input<string>;
    rootVolumeSizeGi: number;
    instanceStoreRaid0: boolean;
    driverPool: NodePoolInput;
    executorPool: NodePoolInput;
    /** customTimeouts.delete of the NodePools and the EC2NodeClass. */
    deleteTimeout: string;
    tags: Record<string, string>;
    /**
     * What the Karpenter CRD check at construction covered: CEL rules evaluated per kind, and any
     * rule the CEL library could not evaluate (reported as a warning, never counted as passed).
     * Deferred to the resolution of the Outputs (createNodeClass): the EC2NodeClass's `role` and
     * discovery-tag values when nodeRoleName or clusterName are Outputs (checked at construction
     * with stand-ins), and the AMI-ids annotation.
     */
    crdCheck: { rulesEvaluated: Record<string, number>; unevaluated: string[] };
    /** What one Spark pod can get on the nodes of each pool (for the jobs' pod-fit checks); unset when the args have problems. */
    driverCapacity?: PoolCapacity;
    executorCapacity?: PoolCapacity;
}

/** Stand-ins for Output values in the construction-time CRD check: valid where any real value is, so they hide nothing else. */
const DEFERRED = { clusterName: "deferred-cluster-name", nodeRoleName: "deferred-node-role" };

/** The EC2NodeClass builder's input once clusterName and nodeRoleName are known. */
export function nodeClassInput(a: Pick<ResolvedSpotExecutorPoolArgs, "poolName" | "amiVersion" | "rootVolumeSizeGi" | "instanceStoreRaid0" | "tags">, clusterName: string, nodeRoleName: string, amiIds?: string[]): NodeClassInput {
    return {
        name: a.poolName,
        amiVersion: a.amiVersion,
        rootVolumeSizeGi: a.rootVolumeSizeGi,
        instanceStoreRaid0: a.instanceStoreRaid0,
        clusterName,
        nodeRoleName,
        amiIds,
        tags: { ...a.tags, "karpenter-spark.io/cluster": clusterName },
    };
}

const FAMILY = /^[a-z]+[0-9][a-z0-9-]*$/;
const SIZE = /^[a-z0-9-]+$/;
const DURATION_ALLOWED = 'a duration of whole s, m or h units such as "1m", "90s" or "720h"';

/** The Spark pod every pool must fit at least: the example job's 1 core and 512m heap plus Spark's overhead. */
function smallestSparkPod(role: string): PodRequest {
    return { what: role, ...(sparkPodRequest({ role, cores: 1, memory: "512m", jvm: true }) as { cpuMilli: number; memoryMiB: number }) };
}

/** The argument a requirement of the pool comes from, for launchability problems. */
export function argOfRequirement(role: string, pool: NodePoolInput): ArgOfRequirement {
    return (key) => {
        switch (key) {
            case "karpenter.sh/capacity-type":
                return `${role}CapacityTypes`;
            case "karpenter.k8s.aws/instance-category":
            case "karpenter.k8s.aws/instance-category#minValues":
                return `${role}InstanceCategories`;
            case "karpenter.k8s.aws/instance-generation":
                return `${role}GenerationGreaterThan`;
            case "kubernetes.io/arch":
                return `${role}Architectures`;
            case "karpenter.k8s.aws/instance-family":
                return `${role}InstanceFamilies`;
            case "karpenter.k8s.aws/instance-family#minValues":
                return `${role}MinInstanceFamilies`;
            case "karpenter.k8s.aws/instance-size":
                return `${role}InstanceSizes`;
            case "karpenter.k8s.aws/instance-cpu":
                return `${role}MaxInstanceVcpus`;
            case "node.kubernetes.io/instance-type#minValues":
                return `${role}MinInstanceTypes`;
            case "limits.cpu":
                return `${role}CpuLimit`;
            default:
                return pool.sizes ? `${role}InstanceSizes` : `${role}InstanceCategories`;
        }
    };
}

/**
 * Budgets by disruption reason: empty nodes go all at once (nothing runs on them), the rest at
 * `nodes` at a time (https://karpenter.sh/docs/concepts/disruption/#reasons).
 */
export function defaultBudgets(nodes: string, reasons: string[]): DisruptionBudget[] {
    return [
        { nodes: "100%", reasons: ["Empty"] },
        { nodes, reasons },
    ];
}

/** Applies the defaults (all in this one place) and validates; throws before anything is registered. */
export function resolveSpotExecutorPoolArgs(name: string, args: SpotExecutorPoolArgs): ResolvedSpotExecutorPoolArgs {
    requireArgsObject("SpotExecutorPool", name, args, "clusterName and nodeRoleName (KarpenterCluster's outputs)");
    const check: ArgChecker = new ArgChecker("SpotExecutorPool", name);
    const problems = check.problems;
    if (args.clusterName === undefined || args.clusterName === "") {
        check.fail("clusterName", args.clusterName, "the EKS cluster's name (KarpenterCluster's clusterName output)");
    }
    if (args.nodeRoleName === undefined || args.nodeRoleName === "") {
        check.fail("nodeRoleName", args.nodeRoleName, "the Karpenter node role's name (KarpenterCluster's nodeRoleName output)");
    }
    const poolName = check.string("poolName", args.poolName ?? name, DNS1123_LABEL, "a DNS label: lowercase letters, digits and hyphens");
    if (poolName.length > 53) {
        check.fail("poolName", poolName, 'at most 53 characters, so that "<poolName>-executors" fits Kubernetes\' 63');
    }

    const executorCapacityTypes = check.listOf("executorCapacityTypes", args.executorCapacityTypes ?? [CapacityType.Spot], CapacityType);
    if (!executorCapacityTypes.includes(CapacityType.Spot)) {
        check.fail(
            "executorCapacityTypes",
            executorCapacityTypes,
            'a list that includes "spot" (this pool exists to run executors on Spot; add "on-demand" only as a fallback)',
        );
    }
    const driverCapacityTypes = check.listOf("driverCapacityTypes", args.driverCapacityTypes ?? [CapacityType.OnDemand], CapacityType);
    if (driverCapacityTypes.includes(CapacityType.Spot)) {
        check.fail("driverCapacityTypes", driverCapacityTypes, 'capacity types other than "spot" ("on-demand", "reserved"): a reclaimed driver fails the whole job');
    }

    const optionalList = (arg: string, value: string[] | undefined, pattern: RegExp, example: string) =>
        value === undefined ? undefined : check.listMatching(arg, value, pattern, `a non-empty list of distinct values such as ${example}`);
    const budgets = (arg: string, value: unknown): DisruptionBudget[] => {
        const found = budgetProblems(arg, value);
        problems.addAll(found);
        return found.length === 0 ? (value as DisruptionBudget[]) : [{ nodes: "10%" }];
    };
    const duration = (arg: string, value: string, pattern: RegExp) =>
        check.string(arg, value, pattern, pattern === KARPENTER_DURATION ? DURATION_ALLOWED : `${DURATION_ALLOWED}, or "Never"`);

    const maxJobDuration = duration("maxJobDuration", args.maxJobDuration ?? "24h", KARPENTER_DURATION);
    const executorPool: NodePoolInput = {
        name: `${poolName}-executors`,
        nodeClassName: poolName,
        role: SparkRole.Executor,
        capacityTypes: executorCapacityTypes,
        categories: check.listOf("executorInstanceCategories", args.executorInstanceCategories ?? ["c", "m", "r"], InstanceCategory),
        // Generation 5+ c/m/r types are Nitro-based (https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-nitro-instances.html).
        generationGreaterThan: check.integer("executorGenerationGreaterThan", args.executorGenerationGreaterThan ?? 4, 0, 20),
        families: optionalList("executorInstanceFamilies", args.executorInstanceFamilies, FAMILY, '["m7i", "r7i"]'),
        sizes: optionalList("executorInstanceSizes", args.executorInstanceSizes, SIZE, '["2xlarge", "4xlarge"]'),
        architectures: check.listOf("executorArchitectures", args.executorArchitectures ?? [Architecture.Amd64], Architecture),
        // "Be flexible across at least 10 instance types" (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-best-practices.html).
        minInstanceTypes: check.integer("executorMinInstanceTypes", args.executorMinInstanceTypes ?? 10, 1, 50),
        // Karpenter's Spot example keeps 5 families per launch (https://karpenter.sh/docs/concepts/nodepools/#min-values; aws/karpenter-provider-aws examples/v1/min-values-family.yaml).
        minInstanceFamilies: check.integer("executorMinInstanceFamilies", args.executorMinInstanceFamilies ?? 5, 1, 30),
        // bench:costs: at 32 vCPUs the price-capacity-optimized estimate is the cheapest type (1.00x), at 64 it is 1.65-1.86x.
        maxInstanceVcpus: check.integer("executorMaxInstanceVcpus", args.executorMaxInstanceVcpus ?? 32, 2, 896),
        excludeMetal: true,
        cpuLimit: check.positiveNumber("executorCpuLimit", args.executorCpuLimit ?? 1000, "1000"),
        memoryLimitGi:
            args.executorMemoryLimitGi === undefined ? undefined : check.positiveNumber("executorMemoryLimitGi", args.executorMemoryLimitGi, "4000"),
        consolidationPolicy: check.oneOf("executorConsolidationPolicy", args.executorConsolidationPolicy ?? ConsolidationPolicy.WhenEmpty, ConsolidationPolicy),
        // Karpenter's default (the v1.14.1 NodePool CRD's spec.disruption default, consolidateAfter: 0s); its disruption loop still re-checks an empty node 15 s before removing it.
        consolidateAfter: duration("executorConsolidateAfter", args.executorConsolidateAfter ?? "0s", KARPENTER_DURATION_OR_NEVER),
        budgets: budgets("executorDisruptionBudgets", args.executorDisruptionBudgets ?? defaultBudgets("10%", ["Drifted", "Underutilized"])),
        expireAfter: duration("executorExpireAfter", args.executorExpireAfter ?? "720h", KARPENTER_DURATION_OR_NEVER),
        terminationGracePeriod:
            args.executorTerminationGracePeriod === undefined
                ? maxJobDuration
                : duration("executorTerminationGracePeriod", args.executorTerminationGracePeriod, KARPENTER_DURATION),
        weight: args.executorWeight === undefined ? undefined : check.integer("executorWeight", args.executorWeight, 1, 100),
    };
    const driverPool: NodePoolInput = {
        name: `${poolName}-drivers`,
        nodeClassName: poolName,
        role: SparkRole.Driver,
        capacityTypes: driverCapacityTypes,
        categories: check.listOf("driverInstanceCategories", args.driverInstanceCategories ?? ["c", "m", "r"], InstanceCategory),
        generationGreaterThan: check.integer("driverGenerationGreaterThan", args.driverGenerationGreaterThan ?? 4, 0, 20),
        architectures: check.listOf("driverArchitectures", args.driverArchitectures ?? [Architecture.Amd64], Architecture),
        excludeMetal: true,
        cpuLimit: check.positiveNumber("driverCpuLimit", args.driverCpuLimit ?? 100, "100"),
        // Drivers are never consolidated while they run (WhenEmpty) and carry do-not-disrupt.
        consolidationPolicy: ConsolidationPolicy.WhenEmpty,
        // As the executors' (the v1.14.1 NodePool CRD's default).
        consolidateAfter: duration("driverConsolidateAfter", args.driverConsolidateAfter ?? "0s", KARPENTER_DURATION_OR_NEVER),
        budgets: defaultBudgets("10%", ["Drifted"]),
        expireAfter: duration("driverExpireAfter", args.driverExpireAfter ?? "720h", KARPENTER_DURATION_OR_NEVER),
        // Karpenter evicts do-not-disrupt pods once a draining node's terminationGracePeriod has passed
        // (https://karpenter.sh/docs/concepts/nodepools/#spectemplatespecterminationgraceperiod);
        // without one an expired driver node waits for its driver forever.
        terminationGracePeriod: maxJobDuration,
    };
    const amiVersion = args.amiVersion ?? DEFAULT_AMI_VERSION;
    problems.addAll(amiVersionProblems("amiVersion", amiVersion));
    problems.addAll(tagProblems("tags", args.tags, ["karpenter-spark.io/pool", "karpenter-spark.io/cluster"], true));
    const region = args.region ?? defaultRegion();
    problems.addAll(regionProblems(args.region !== undefined ? "region" : "region (the stack's aws:region)", region));
    if (typeof region === "string" && problems.list.length === 0) {
        // Only on otherwise valid pools: a bad list above would make these findings noise.
        for (const pool of [driverPool, executorPool]) {
            const role = pool.role;
            // The requirement is instance-cpu Lt (max + 1): show the argument's own value, not the operand.
            const found = launchabilityProblems(nodePoolManifest(pool), region, argOfRequirement(role, pool), [smallestSparkPod(role)]);
            problems.addAll(found.map((p) => (p.subject === `${role}MaxInstanceVcpus` ? { ...p, value: pool.maxInstanceVcpus } : p)));
        }
    }
    const resolved: ResolvedSpotExecutorPoolArgs = {
        clusterName: args.clusterName,
        nodeRoleName: args.nodeRoleName,
        poolName,
        kubernetesVersion: args.kubernetesVersion,
        amiVersion: String(amiVersion),
        rootVolumeSizeGi: check.integer("rootVolumeSizeGi", args.rootVolumeSizeGi ?? 100, 20, 16384),
        instanceStoreRaid0: check.boolean("instanceStoreRaid0", args.instanceStoreRaid0 ?? false),
        driverPool,
        executorPool,
        deleteTimeout: deleteTimeout([driverPool.terminationGracePeriod, executorPool.terminationGracePeriod]),
        tags: { ...(args.tags ?? {}), "karpenter-spark.io/pool": poolName },
        crdCheck: { rulesEvaluated: {}, unevaluated: [] },
        ...(typeof region === "string" && problems.list.length === 0
            ? { driverCapacity: poolCapacity(nodePoolManifest(driverPool), region), executorCapacity: poolCapacity(nodePoolManifest(executorPool), region) }
            : {}),
    };
    if (problems.list.length === 0) {
        // The objects themselves against the Karpenter CRDs, as the API server will check them;
        // only on otherwise valid args (a rejected value's fallback would make findings noise).
        const plain = (v: unknown, standIn: string) => (typeof v === "string" ? v : standIn);
        const checks = [
            nodePoolCrdCheck([driverPool, executorPool], argOfRequirement),
            nodeClassCrdCheck(nodeClassInput(resolved, plain(args.clusterName, DEFERRED.clusterName), plain(args.nodeRoleName, DEFERRED.nodeRoleName))),
        ];
        for (const c of checks) {
            problems.addAll(c.problems);
            resolved.crdCheck.rulesEvaluated[c.kind] = c.evaluatedRules;
            resolved.crdCheck.unevaluated.push(...c.unevaluated);
        }
    }
    check.done();
    return resolved;
}

