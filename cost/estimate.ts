// What a Spark job costs on the NodePools a stack renders, per run and per month with the stack's
// idle floor, against what a team would otherwise run: an always-on On-Demand cluster, Cluster
// Autoscaler with a Spot node group, EMR on EKS and EMR Serverless; and against the lower bound.
import { CapacityType, SparkRole } from "../components/enums";
import { executorFit } from "../components/pools/executorFit";
import { executorCoreRequestMilli, SparkPodPlacement, sparkPodPlacement } from "../components/pools/placement";
import { SPARK_ROLE_KEY } from "../components/pools/specs";
import { HISTORY_SERVER_NAME } from "../components/spark/historyServer";
import { DAEMONSET_OVERHEAD } from "../components/validation/launchability";
import { Catalog, EstimateError, InstanceType, RegionPricing } from "./catalog";
import { Offering, Overhead, pack, Packing, Pod, unmetMinValues } from "./packing";
import { minValuesProblems, NodePoolSpec, nodeLabels, nodePoolSpec, poolCandidates, poolCapacityTypes, podMayRunOn } from "../components/catalog/scheduling";
import { RegionServicePrices } from "./services";
import { PodRequest, sparkPodRequest, Workload } from "./spark";

export const HOURS_PER_MONTH = 730;
const RUNS_PER_MONTH_PER_DAILY_RUN = HOURS_PER_MONTH / 24;

// What the estimate assumes beyond prices. The report prints them.
export const ASSUMPTIONS = {
    /** Root volume a managed node group gives each system node (EKS launch template default). */
    systemNodeVolumeGiB: 20,
    /** Karpenter NodeClaim to Ready node: "about 30-40s" (Karpenter maintainer, https://github.com/aws/karpenter-provider-aws/issues/6165). */
    launchToReadySeconds: 40,
    /** Pulling the Spark image (~0.7 GiB compressed) on a fresh node; an assumption, not a measurement. */
    imagePullSeconds: 20,
    /**
     * Compressed image size each new node pulls: through the NAT gateway unless the image is in the
     * stack region's private ECR and the S3 gateway endpoint serves its layers. ECR Public
     * (public.ecr.aws, the default) is not reachable through VPC endpoints
     * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html, considerations).
     */
    imageGiB: 0.7,
    /**
     * The S3A jars each driver and executor pod fetches from Maven Central when the stack's image
     * lacks them (components/spark/image.ts): hadoop-aws (0.9 MB) and the AWS SDK v2 bundle (about
     * half a gigabyte; its exact size is not pinned here). Always through the NAT gateway: Maven Central is not S3.
     */
    s3aJarsGiB: 0.5,
    /** Fetching and checking them before the pod starts: 0.5 GB at about 50 MB/s; an assumption, not a measurement. */
    s3aJarsFetchSeconds: 10,
    /** Cluster Autoscaler's default --scan-interval (10s) before it asks the ASG for a node (https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#what-are-the-parameters-to-ca). */
    clusterAutoscalerScanSeconds: 10,
    /**
     * Cluster Autoscaler's default --scale-down-unneeded-time: 10 minutes before an empty node goes (same FAQ).
     * Its --scale-down-delay-after-add (10 min) is left out, which favours Cluster Autoscaler on jobs under 10 minutes.
     */
    clusterAutoscalerScaleDownMinutes: 10,
    /**
     * From consolidateAfter to the empty node's deletion: Karpenter's disruption loop runs every 10s
     * (pollingPeriod, half of it on average) and re-checks an empty-node command 15s later before it
     * acts (commandValidationDelay; kubernetes-sigs/karpenter v1.14.1, pkg/controllers/disruption/controller.go and consolidation.go).
     * A lower mean: deleting the NodeClaim, its finalizer and EC2's terminate call add a few seconds.
     */
    emptyNodeRemovalSeconds: 5 + 15,
    /** EC2 bills Linux instances per second with a one-minute minimum (https://aws.amazon.com/ec2/pricing/). */
    minimumBilledSeconds: 60,
    /** EKS control-plane logs (api, audit, authenticator, controllerManager, scheduler) of a quiet cluster, GB per hour: an assumption. */
    controlPlaneLogGbPerHour: 0.05,
    /** aws-node (VPC CNI), kube-proxy and eks-pod-identity-agent DaemonSets, per node: the allowance the components' pod-fit check makes. */
    daemonSetOverhead: { ...DAEMONSET_OVERHEAD } as Overhead,
};

/** The structural part of a Pulumi registration the estimator reads (tools/mocks records them). */
export interface RegistrationLike {
    type: string;
    inputs: unknown;
}

/** A NodePool's scheduling facts and its disruption policy. */
export interface PoolSpec extends NodePoolSpec {
    consolidationPolicy?: string;
    expireAfter?: string;
    budgets?: { nodes: string; reasons?: string[]; schedule?: string }[];
}

/** What the estimator needs from a rendered stack. */
export interface StackFacts {
    stack: string;
    region: string;
    pools: PoolSpec[];
    systemNodes: { instanceTypes: string[]; count: number };
    natGateways: number;
    availabilityZones: number;
    kmsKeys: number;
    eksClusters: number;
    controlPlaneLogTypes: number;
    /** Whether S3 traffic bypasses the NAT gateway (an S3 gateway endpoint on the private route tables). */
    s3GatewayEndpoint: boolean;
    /** Whether every Spark image is in the stack region's private ECR, whose layers S3 serves (so the endpoint carries them too). */
    sparkImagesInRegionalEcr: boolean;
    /** Root volume of each Karpenter node, GiB. */
    nodeRootVolumeGiB: number;
    /** Whether job pods fetch the S3A jars at start-up (the stack's image lacks them: an init container in the rendered pods). */
    s3aJarsAtStart: boolean;
}

/** Whether a rendered resource holds the S3A jars' init container (components/spark/image.ts s3aJarsInitContainer). */
function fetchesS3AJars(inputs: unknown): boolean {
    return JSON.stringify(inputs ?? {}).includes('"name":"fetch-s3a-jars"');
}

/** Whether the stack's Spark image (its SparkApplications' and the History Server's) is pulled from the private ECR registry of `region`. */
function sparkImagesInRegionalEcr(region: string, registrations: RegistrationLike[]): boolean {
    const images = registrations.flatMap((r) => {
        const i = r.inputs as any;
        if (r.type === "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication") {
            return [i?.spec?.image];
        }
        return r.type === "kubernetes:apps/v1:Deployment" && i?.metadata?.name === HISTORY_SERVER_NAME ? (i.spec?.template?.spec?.containers ?? []).map((c: any) => c.image) : [];
    });
    const ecr = new RegExp(`^\\d{12}\\.dkr\\.ecr\\.${region.replace(/-/g, "\\-")}\\.amazonaws\\.com/`);
    return images.length > 0 && images.every((i) => typeof i === "string" && ecr.test(i));
}

/**
 * Whether a workload's executors fetch the S3A jars too: a job that reads or writes s3a:// data
 * needs the connector on its executors (SparkJob's default), one that moves no S3 data (SparkPi)
 * only on its driver, which alone writes the event log
 * (EventLoggingListener runs in the driver: https://spark.apache.org/docs/latest/monitoring.html).
 */
export function executorsFetchS3AJars(workload: Workload): boolean {
    return (workload.data?.s3ReadGiB ?? 0) + (workload.data?.s3WriteGiB ?? 0) > 0;
}

function gib(size: string | undefined): number {
    const m = /^(\d+)(Gi|G|Ti|T)?$/.exec(size ?? "");
    if (!m) {
        return 0;
    }
    return Number(m[1]) * (m[2]?.startsWith("T") ? 1024 : 1);
}

export function stackFacts(stack: string, region: string, registrations: RegistrationLike[]): StackFacts {
    const of = (type: string) => registrations.filter((r) => r.type === type).map((r) => r.inputs as any);
    const vpcs = of("awsx:ec2:Vpc");
    const nodeGroups = of("eks:index:ManagedNodeGroup");
    const clusters = of("eks:index:Cluster");
    const s3Gateway = (serviceName: unknown, endpointType: unknown) => /\.s3$/.test(String(serviceName ?? "")) && (endpointType ?? "Gateway") === "Gateway";
    const nodeClass = of("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass")[0];
    return {
        stack,
        region,
        pools: of("kubernetes:karpenter.sh/v1:NodePool").map((m) => ({
            ...nodePoolSpec(m),
            consolidationPolicy: m.spec?.disruption?.consolidationPolicy,
            expireAfter: m.spec?.template?.spec?.expireAfter,
            budgets: m.spec?.disruption?.budgets,
        })),
        systemNodes: {
            instanceTypes: nodeGroups.flatMap((n) => n.instanceTypes ?? []),
            count: nodeGroups.reduce((s, n) => s + (n.scalingConfig?.desiredSize ?? 0), 0),
        },
        natGateways: vpcs.reduce(
            (s, v) => s + (v.natGateways?.strategy === "OnePerAz" ? v.numberOfAvailabilityZones : v.natGateways?.strategy === "None" ? 0 : 1),
            0,
        ),
        availabilityZones: vpcs[0]?.numberOfAvailabilityZones ?? 3,
        kmsKeys: of("aws:kms/key:Key").length,
        eksClusters: clusters.length,
        controlPlaneLogTypes: clusters.reduce((s, c) => s + (c.enabledClusterLogTypes?.length ?? 0), 0),
        s3GatewayEndpoint:
            of("aws:ec2/vpcEndpoint:VpcEndpoint").some((e) => s3Gateway(e.serviceName, e.vpcEndpointType)) ||
            vpcs.some((v) => (v.vpcEndpointSpecs ?? []).some((e: any) => s3Gateway(e.serviceName, e.vpcEndpointType))),
        nodeRootVolumeGiB: gib(nodeClass?.spec?.blockDeviceMappings?.find((b: any) => b.rootVolume)?.ebs?.volumeSize) || 100,
        sparkImagesInRegionalEcr: sparkImagesInRegionalEcr(region, registrations),
        s3aJarsAtStart: registrations.some((r) => /^kubernetes:(apps\/v1:Deployment|sparkoperator\.k8s\.io\/v1beta2:SparkApplication)$/.test(r.type) && fetchesS3AJars(r.inputs)),
    };
}

export interface NodeLine {
    instanceType: string;
    capacityType: string;
    count: number;
    /** Price of the cheapest type the NodeClaim could become (what the packing bought). */
    usdPerHour: number;
    /** Spot: what price-capacity-optimized is expected to buy for this NodeClaim instead. */
    pcoInstanceType?: string;
    pcoUsdPerHour?: number;
    vcpu: number;
    memoryGiB: number;
    spotSavingsPct?: number;
    interruptionBand?: string;
    /** The fewest instance types, and families, any of these NodeClaims may become (what Karpenter hands EC2). */
    nodeClaimTypes: number;
    nodeClaimFamilies: number;
}

export interface BilledTime {
    launchToReadySeconds: number;
    imagePullSeconds: number;
    /** The S3A jars' init container before the pod starts (0 when the image has them). */
    s3aJarsFetchSeconds: number;
    jobMinutes: number;
    consolidateAfterMinutes: number;
    /** Karpenter's disruption loop between consolidateAfter and the node's deletion (0 when expiry removes it). */
    emptyNodeRemovalSeconds: number;
    consolidationPolicy: string;
    totalMinutes: number;
}

export interface PoolEstimate {
    pool: string;
    role: string;
    capacityTypes: string[];
    /** Every instance type the pool may launch for this placement. */
    allowedTypes: string[];
    minValues: Record<string, number>;
    minValuesProblems: string[];
    nodes: NodeLine[];
    nodeCount: number;
    billedTime: BilledTime;
    /** $/h of the nodes at the cheapest allowed type per NodeClaim, and at the price-capacity-optimized estimate. */
    usdPerHour: { low: number; high: number };
    costPerRun: { low: number; high: number };
    cpuUtilizationPct: number;
    memoryUtilizationPct: number;
    /** The fewest instance types and families any of the pool's NodeClaims for this run may become. */
    typesPerNodeClaim: { types: number; families: number };
}

export interface LineItem {
    item: string;
    usd: number;
}

export interface JobEstimate {
    stack: string;
    region: string;
    workload: Workload;
    requests: { driver: PodRequest; executor: PodRequest };
    pools: PoolEstimate[];
    /** EC2 cost of one run: cheapest allowed pools .. price-capacity-optimized estimate. */
    computePerRun: { low: number; high: number };
    /** What each run adds that is not instances: root volumes, NAT data processing, cross-AZ shuffle. */
    runExtras: LineItem[];
    costPerRun: number;
    costPerRunBand: { low: number; high: number };
    lowerBound: number;
    lowerBoundNodes: { pool: string; nodes: string[] }[];
    ratioToLowerBound: number;
    ratioDecomposition: { billedTime: number; packing: number; typePremium: number };
    cpuUtilizationPct: number;
    memoryUtilizationPct: number;
    instanceTypesLaunchable: { driver: number; executor: number };
    /** The largest executor node, in vCPUs, SparkJob narrows this job's executors to (executorFit); undefined: the pool's own limit. */
    executorNodeLimitVcpus?: number;
    /** The fewest instance types (and families) one NodeClaim of each pool may become in this run: Spot diversity per launch. */
    instanceTypesPerNodeClaim: { driver: { types: number; families: number }; executor: { types: number; families: number } };
    baselines: Baselines;
    /** For the baselines' detail: the always-on node set. */
    staticCluster: { nodes: string[]; usdPerHour: number; extrasPerRun: number };
    /** For the baselines' detail: Cluster Autoscaler's executor node group. */
    clusterAutoscalerGroup: CaNodeGroup;
}

export interface Baselines {
    /** The same pools with executors On-Demand. */
    onDemandOnly: number;
    /** An always-on On-Demand cluster sized for the job, its day divided by the runs per day. */
    staticOnDemand: number;
    /** Cluster Autoscaler with a Spot managed node group from zero, default scale-down delay. */
    clusterAutoscalerSpot: number;
    emrOnEks: number;
    emrServerless: number;
}

export interface EstimateOptions {
    /** Runs per day the per-run share of the always-on baseline assumes. */
    runsPerDay: number;
    /** Price the workload's shuffle as crossing availability zones. */
    crossAzShuffle: boolean;
}

export const DEFAULT_OPTIONS: EstimateOptions = { runsPerDay: 1, crossAzShuffle: false };

/** Duration strings Karpenter uses ("1m", "90s", "1h30m"), in minutes; Never and unset are 0. */
function minutes(duration: string | undefined): number {
    if (!duration || duration === "Never") {
        return 0;
    }
    let total = 0;
    for (const [, n, unit] of duration.matchAll(/(\d+)(h|m|s)/g)) {
        total += Number(n) * { h: 60, m: 1, s: 1 / 60 }[unit as "h" | "m" | "s"];
    }
    return total;
}

function roleOf(pool: NodePoolSpec): string {
    return pool.labels[SPARK_ROLE_KEY] ?? "";
}

/** The placement SpotExecutorPool gives this pool's Spark role. */
function placementFor(pool: NodePoolSpec): SparkPodPlacement {
    return sparkPodPlacement({ role: roleOf(pool) as SparkRole, nodePoolName: pool.name, capacityTypes: poolCapacityTypes(pool) as CapacityType[] });
}

/** Every minValues of the pool, by label key. */
export function poolMinValues(pool: NodePoolSpec): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of pool.requirements) {
        if (r.minValues !== undefined) {
            out[r.key] = Math.max(out[r.key] ?? 0, r.minValues);
        }
    }
    return out;
}

/** The pool's offerings that a pod with this placement may use, priced; Spot when the pool allows it. */
export function offerings(pool: NodePoolSpec, catalog: Catalog, pricing: RegionPricing): { offerings: Offering[]; allowed: string[]; minValues: string[] } {
    const placement = placementFor(pool);
    const candidates = poolCandidates(pool, catalog.types).filter((c) => podMayRunOn(placement, nodeLabels(c.type, c.capacityType, pool), pool.taints));
    const priced: Offering[] = [];
    for (const c of candidates) {
        if (c.capacityType === "spot") {
            const s = pricing.spot(c.type);
            if (s) {
                priced.push({ type: c.type, capacityType: "spot", usdPerHour: s.usdPerHour, savingsPct: s.savingsPct, interruptionBand: s.band });
            }
        } else if (c.capacityType === "on-demand") {
            priced.push({ type: c.type, capacityType: "on-demand", usdPerHour: pricing.onDemand(c.type) });
        }
    }
    // Karpenter launches Spot whenever the pool allows it and Spot capacity exists.
    const spot = priced.filter((o) => o.capacityType === "spot");
    return { offerings: spot.length > 0 ? spot : priced, allowed: [...new Set(candidates.map((c) => c.type.name))].sort(), minValues: minValuesProblems(pool, candidates) };
}

/**
 * What EC2 Fleet's price-capacity-optimized strategy is expected to launch among a NodeClaim's
 * types: the pools with the most spare capacity first, then the cheapest of them
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-fleet-allocation-strategy.html). The
 * Spot Advisor's interruption band stands in for spare capacity: the cheapest type of the lowest band.
 * Karpenter sends EC2 at most the 60 cheapest types (https://karpenter.sh/docs/concepts/scheduling/#savings-plans-and-reserved-instances, instance type truncation).
 */
export function priceCapacityOptimized(options: Offering[], bands: string[]): Offering {
    const cheapestFirst = [...options].sort((a, b) => a.usdPerHour - b.usdPerHour || a.type.name.localeCompare(b.type.name)).slice(0, 60);
    if (cheapestFirst[0].capacityType !== "spot") {
        return cheapestFirst[0];
    }
    const rank = (o: Offering) => {
        const i = bands.indexOf(o.interruptionBand ?? "");
        return i < 0 ? bands.length : i;
    };
    const best = Math.min(...cheapestFirst.map(rank));
    return cheapestFirst.find((o) => rank(o) === best)!;
}

/** Requests over allocatable of the nodes launched: `launched[i]` is what node i is expected to become (the price-capacity-optimized estimate on Spot). */
function utilization(packing: Packing, launched: Offering[]): { cpu: number; memory: number; allocCpu: number; allocMemory: number } {
    let cpu = 0;
    let memory = 0;
    let allocCpu = 0;
    let allocMemory = 0;
    packing.nodes.forEach((n, i) => {
        cpu += n.pods.reduce((s, p) => s + p.cpuMilli, 0);
        memory += n.pods.reduce((s, p) => s + p.memoryMiB, 0);
        allocCpu += launched[i].type.allocatable.cpuMilli;
        allocMemory += launched[i].type.allocatable.memoryMiB;
    });
    return { cpu, memory, allocCpu, allocMemory };
}

/**
 * How long an empty node outlives its job: consolidateAfter, unless the pool never removes empty
 * nodes (consolidateAfter Never, or a budget allowing 0 nodes for Empty at all times), when it
 * lives until expireAfter (https://karpenter.sh/docs/concepts/disruption/).
 */
function emptyNodeMinutes(pool: PoolSpec): { minutes: number; removalSeconds: number } {
    const blocked = (pool.budgets ?? []).some((b) => b.nodes.trim() === "0" || b.nodes.trim() === "0%" ? !b.schedule && (!b.reasons || b.reasons.includes("Empty")) : false);
    if (pool.consolidateAfter !== "Never" && !blocked) {
        return { minutes: minutes(pool.consolidateAfter), removalSeconds: ASSUMPTIONS.emptyNodeRemovalSeconds };
    }
    if (!pool.expireAfter || pool.expireAfter === "Never") {
        throw new EstimateError(
            `NodePool ${pool.name} never removes an empty node (${blocked ? "a disruption budget allows 0 Empty nodes at all times" : "consolidateAfter is Never"}) and expireAfter is ${pool.expireAfter ?? "unset"}: its nodes outlive every job, so a run has no cost of its own`,
        );
    }
    // Expiry deletes the NodeClaim itself, without the disruption loop's validation.
    return { minutes: minutes(pool.expireAfter), removalSeconds: 0 };
}

/** Seconds a pod waits for the S3A jars before it starts. */
function s3aJarsSeconds(facts: Pick<StackFacts, "s3aJarsAtStart">): number {
    return facts.s3aJarsAtStart ? ASSUMPTIONS.s3aJarsFetchSeconds : 0;
}

function billedTime(pool: PoolSpec, workload: Workload, jarsSeconds: number): BilledTime {
    const empty = emptyNodeMinutes(pool);
    const total = Math.max(
        ASSUMPTIONS.minimumBilledSeconds / 60,
        (ASSUMPTIONS.launchToReadySeconds + ASSUMPTIONS.imagePullSeconds + jarsSeconds + empty.removalSeconds) / 60 + workload.durationMinutes + empty.minutes,
    );
    return {
        launchToReadySeconds: ASSUMPTIONS.launchToReadySeconds,
        imagePullSeconds: ASSUMPTIONS.imagePullSeconds,
        s3aJarsFetchSeconds: jarsSeconds,
        jobMinutes: workload.durationMinutes,
        consolidateAfterMinutes: empty.minutes,
        emptyNodeRemovalSeconds: empty.removalSeconds,
        consolidationPolicy: pool.consolidationPolicy ?? "",
        totalMinutes: total,
    };
}

interface PoolRun {
    estimate: PoolEstimate;
    packing: Packing;
    offerings: Offering[];
    /** What each packed node is expected to become: price-capacity-optimized among its types on Spot, the cheapest On-Demand. */
    launched: Offering[];
}

/** `maxInstanceVcpus`: the job's own limit on its pods' nodes (SparkJob's executor fit), over the pool's. */
function poolRun(pool: PoolSpec, pods: Pod[], catalog: Catalog, pricing: RegionPricing, workload: Workload, jarsSeconds: number, maxInstanceVcpus?: number): PoolRun {
    const o = offerings(pool, catalog, pricing);
    const minValues = poolMinValues(pool);
    const usable = maxInstanceVcpus === undefined ? o.offerings : o.offerings.filter((x) => x.type.vcpu <= maxInstanceVcpus);
    const packing = pack(pods, usable, { overhead: ASSUMPTIONS.daemonSetOverhead, minValues, cpuLimit: pool.cpuLimit });
    const time = billedTime(pool, workload, jarsSeconds);
    const lines = new Map<string, NodeLine>();
    let low = 0;
    let high = 0;
    const diversity = (n: Packing["nodes"][number]) => ({ types: n.options.length, families: new Set(n.options.map((x) => x.type.family)).size });
    // EC2 Fleet may launch a larger type than the cheapest when its pool is less interrupted: costs and utilization use that.
    const launched = packing.nodes.map((n) => priceCapacityOptimized(n.options, catalog.interruptionBands));
    packing.nodes.forEach((n, i) => {
        const pco = launched[i];
        const d = diversity(n);
        low += n.offering.usdPerHour;
        high += pco.usdPerHour;
        const key = `${n.offering.type.name}/${n.offering.capacityType}/${pco.type.name}`;
        const line = lines.get(key) ?? {
            instanceType: n.offering.type.name,
            capacityType: n.offering.capacityType,
            count: 0,
            usdPerHour: n.offering.usdPerHour,
            ...(n.offering.capacityType === "spot" ? { pcoInstanceType: pco.type.name, pcoUsdPerHour: pco.usdPerHour } : {}),
            vcpu: n.offering.type.vcpu,
            memoryGiB: n.offering.type.memoryMiB / 1024,
            spotSavingsPct: n.offering.savingsPct,
            interruptionBand: n.offering.interruptionBand,
            nodeClaimTypes: d.types,
            nodeClaimFamilies: d.families,
        };
        line.nodeClaimTypes = Math.min(line.nodeClaimTypes, d.types);
        line.nodeClaimFamilies = Math.min(line.nodeClaimFamilies, d.families);
        line.count++;
        lines.set(key, line);
    });
    const u = utilization(packing, launched);
    return {
        packing,
        offerings: o.offerings,
        launched,
        estimate: {
            pool: pool.name,
            role: roleOf(pool),
            capacityTypes: poolCapacityTypes(pool),
            allowedTypes: o.allowed,
            minValues,
            minValuesProblems: o.minValues,
            nodes: [...lines.values()],
            nodeCount: packing.nodes.length,
            billedTime: time,
            usdPerHour: { low, high },
            costPerRun: { low: (low * time.totalMinutes) / 60, high: (high * time.totalMinutes) / 60 },
            cpuUtilizationPct: u.allocCpu ? (100 * u.cpu) / u.allocCpu : 0,
            memoryUtilizationPct: u.allocMemory ? (100 * u.memory) / u.allocMemory : 0,
            typesPerNodeClaim: packing.nodes.length
                ? packing.nodes.map(diversity).reduce((a, b) => ({ types: Math.min(a.types, b.types), families: Math.min(a.families, b.families) }))
                : { types: 0, families: 0 },
        },
    };
}

/** Refuses a run whose pods do not all get a node: its cost would not be the workload's. */
function requireScheduled(runs: PoolRun[], what: string): void {
    const problems = runs.flatMap((r) => r.packing.unscheduled.map((u) => `pod ${u.pod.name} does not fit NodePool ${r.estimate.pool}${what}: ${u.reason}`));
    if (problems.length > 0) {
        const more = problems.length > 1 ? ` (and ${problems.length - 1} more pod(s) for the same reason or others)` : "";
        throw new EstimateError(`${problems[0]}${more}`);
    }
}

/** The pool with executors bought On-Demand instead of Spot. */
function onDemandOnly(pool: PoolSpec): PoolSpec {
    return {
        ...pool,
        requirements: pool.requirements.map((r) => (r.key === "karpenter.sh/capacity-type" ? { ...r, values: ["on-demand"] } : r)),
    };
}

/**
 * The cheapest set of whole instances of the allowed types (at their cheapest price) that holds
 * every pod: identical pods, so the best count of each type is an unbounded covering problem
 * solved exactly by dynamic programming over the number of pods.
 */
export function cheapestWholeInstances(pods: Pod[], offers: Offering[], overhead: Overhead): { usdPerHour: number; nodes: string[] } {
    if (pods.length === 0) {
        return { usdPerHour: 0, nodes: [] };
    }
    const pod = pods[0];
    if (pods.some((p) => p.cpuMilli !== pod.cpuMilli || p.memoryMiB !== pod.memoryMiB)) {
        throw new Error("cheapestWholeInstances expects identical pods");
    }
    const perNode = offers
        .map((o) => {
            const t = o.type;
            const k = Math.min(
                Math.floor((t.allocatable.cpuMilli - overhead.cpuMilli) / pod.cpuMilli),
                Math.floor((t.allocatable.memoryMiB - overhead.memoryMiB) / pod.memoryMiB),
                t.allocatable.pods - overhead.pods,
            );
            return { o, k };
        })
        .filter((x) => x.k > 0);
    if (perNode.length === 0) {
        return { usdPerHour: Number.POSITIVE_INFINITY, nodes: [] };
    }
    // Per capacity, keep only the cheapest offering.
    const best = new Map<number, { o: Offering; k: number }>();
    for (const x of perNode) {
        const k = Math.min(x.k, pods.length);
        const seen = best.get(k);
        if (!seen || x.o.usdPerHour < seen.o.usdPerHour) {
            best.set(k, { o: x.o, k });
        }
    }
    const choices = [...best.values()];
    const n = pods.length;
    const cost = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
    const pick = new Int32Array(n + 1).fill(-1);
    cost[0] = 0;
    for (let i = 1; i <= n; i++) {
        for (let c = 0; c < choices.length; c++) {
            const v = choices[c].o.usdPerHour + cost[Math.max(0, i - choices[c].k)];
            if (v < cost[i]) {
                cost[i] = v;
                pick[i] = c;
            }
        }
    }
    const nodes: string[] = [];
    for (let i = n; i > 0; i = Math.max(0, i - choices[pick[i]].k)) {
        nodes.push(choices[pick[i]].o.type.name);
    }
    return { usdPerHour: cost[n], nodes };
}

function fitsOne(o: Offering, pod: Pod, overhead: Overhead): boolean {
    return o.type.allocatable.cpuMilli - overhead.cpuMilli >= pod.cpuMilli && o.type.allocatable.memoryMiB - overhead.memoryMiB >= pod.memoryMiB;
}

export interface CaNodeGroup {
    vcpu: number;
    memoryGiB: number;
    instanceTypes: string[];
    podsPerNode: number;
    nodes: number;
    usdPerHour: { low: number; high: number };
    /** False when no single shape offers the pool's minValues: then the cheapest shape regardless. */
    meetsMinValues: boolean;
}

/**
 * The Spot managed node group a team would give Cluster Autoscaler for these pods: every allowed
 * type of one vCPU/memory shape (CA scales a mixed-instances group as if all were its first type,
 * so they must match: https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md#using-mixed-instances-policies-and-spot-instances),
 * meeting the pool's minValues where a shape can, the shape that costs least for the job by `cost`
 * (default: its price per hour; the estimate passes the whole run's, each node's NAT bytes and
 * volume included); each node priced at the price-capacity-optimized estimate among the group's
 * types (managed node groups launch Spot with price-capacity-optimized: https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html#managed-node-group-capacity-types).
 */
export function clusterAutoscalerNodeGroup(
    pods: Pod[],
    offers: Offering[],
    minValues: Record<string, number>,
    bands: string[],
    overhead: Overhead,
    cost: (g: CaNodeGroup) => number = (g) => g.usdPerHour.high,
): CaNodeGroup {
    const pod = pods[0];
    const shapes = new Map<string, Offering[]>();
    for (const o of offers) {
        const key = `${o.type.vcpu}/${o.type.memoryMiB}`;
        shapes.set(key, [...(shapes.get(key) ?? []), o]);
    }
    const diverse = [...shapes.values()].filter((g) => unmetMinValues(g, minValues) === undefined);
    const meetsMinValues = diverse.some((g) => g.every((o) => fitsOne(o, pod, overhead)));
    let best: CaNodeGroup | undefined;
    for (const group of meetsMinValues ? diverse : [...shapes.values()]) {
        const k = Math.min(
            ...group.map((o) =>
                Math.min(
                    Math.floor((o.type.allocatable.cpuMilli - overhead.cpuMilli) / pod.cpuMilli),
                    Math.floor((o.type.allocatable.memoryMiB - overhead.memoryMiB) / pod.memoryMiB),
                    o.type.allocatable.pods - overhead.pods,
                ),
            ),
        );
        if (k < 1) {
            continue;
        }
        const nodes = Math.ceil(pods.length / k);
        const high = priceCapacityOptimized(group, bands).usdPerHour * nodes;
        const low = Math.min(...group.map((o) => o.usdPerHour)) * nodes;
        const candidate = { vcpu: group[0].type.vcpu, memoryGiB: group[0].type.memoryMiB / 1024, instanceTypes: group.map((o) => o.type.name).sort(), podsPerNode: k, nodes, usdPerHour: { low, high }, meetsMinValues };
        if (!best || cost(candidate) < cost(best)) {
            best = candidate;
        }
    }
    if (!best) {
        throw new EstimateError(`no instance shape of the executor pool holds an executor: Cluster Autoscaler has no node group to compare`);
    }
    return best;
}

/** EMR Serverless worker sizes: vCPUs, and the memory range in GB each allows (with its step). */
const EMR_SERVERLESS_WORKERS: { vcpu: number; minGb: number; maxGb: number; stepGb: number }[] = [
    { vcpu: 1, minGb: 2, maxGb: 8, stepGb: 1 },
    { vcpu: 2, minGb: 4, maxGb: 16, stepGb: 1 },
    { vcpu: 4, minGb: 8, maxGb: 30, stepGb: 1 },
    { vcpu: 8, minGb: 16, maxGb: 60, stepGb: 4 },
    { vcpu: 16, minGb: 32, maxGb: 120, stepGb: 8 },
];

/** The smallest EMR Serverless worker that holds a pod's cores and memory (with overhead). */
export function emrServerlessWorker(cores: number, memoryMiB: number): { vcpu: number; memoryGb: number } {
    const needGb = memoryMiB / 1024;
    for (const w of EMR_SERVERLESS_WORKERS) {
        if (w.vcpu >= cores && w.maxGb >= needGb) {
            const memoryGb = Math.max(w.minGb, Math.ceil(needGb / w.stepGb) * w.stepGb);
            return { vcpu: w.vcpu, memoryGb };
        }
    }
    throw new EstimateError(`a pod of ${cores} cores and ${Math.ceil(needGb)} GB is larger than EMR Serverless's largest worker (16 vCPU, 120 GB)`);
}

export function estimateJob(facts: StackFacts, workload: Workload, catalog: Catalog, pricing: RegionPricing, services: RegionServicePrices, options: EstimateOptions = DEFAULT_OPTIONS): JobEstimate {
    const driverPool = facts.pools.find((p) => roleOf(p) === SparkRole.Driver);
    const executorPool = facts.pools.find((p) => roleOf(p) === SparkRole.Executor);
    if (!driverPool || !executorPool) {
        throw new EstimateError(`stack ${facts.stack} renders no driver and executor NodePools (labelled ${SPARK_ROLE_KEY})`);
    }
    const price = services.prices;
    const jvm = workload.type === "Scala" || workload.type === "Java";
    const requests = {
        driver: sparkPodRequest(workload.driver.cores, workload.driver.memory, jvm, workload.driver.requestCores),
        // Unless the job sets its own, executors request the platform's default (components/pools/placement.ts)...
        executor: sparkPodRequest(workload.executor.cores, workload.executor.memory, jvm, workload.executor.requestCores ?? executorCoreRequestMilli(workload.executor.cores) / 1000),
    };
    // ...and get the node size and request SparkJob's executor fit gives them, computed the same way (components/pools/executorFit.ts).
    const fit =
        workload.executor.requestCores === undefined
            ? executorFit(
                  { nodePoolName: executorPool.name, region: pricing.region, requirements: executorPool.requirements, cpuLimit: executorPool.cpuLimit ?? Number.POSITIVE_INFINITY },
                  { ...requests.executor, maxCpuMilli: workload.executor.cores * 1000 },
                  workload.executor.instances,
                  catalog,
              )
            : undefined;
    if (fit) {
        requests.executor = { ...requests.executor, cpuMilli: fit.cpuMilli };
    }
    const executorNodeLimit = fit?.maxInstanceVcpus;
    const pods = {
        driver: [{ name: "driver", ...requests.driver }],
        executor: Array.from({ length: workload.executor.instances }, (_, i) => ({ name: `exec-${i + 1}`, ...requests.executor })),
    };
    const jarsSeconds = s3aJarsSeconds(facts);
    const executorJarsSeconds = executorsFetchS3AJars(workload) ? jarsSeconds : 0;
    const runs = [poolRun(driverPool, pods.driver, catalog, pricing, workload, jarsSeconds), poolRun(executorPool, pods.executor, catalog, pricing, workload, executorJarsSeconds, executorNodeLimit)];
    requireScheduled(runs, "");
    const odRuns = [runs[0], poolRun(onDemandOnly(executorPool), pods.executor, catalog, pricing, workload, executorJarsSeconds, executorNodeLimit)];
    requireScheduled(odRuns, " (On-Demand only)");

    // What each run adds besides instances.
    const nodeHours = (rs: PoolRun[]) => rs.reduce((s, r) => s + (r.packing.nodes.length * r.estimate.billedTime.totalMinutes) / 60, 0);
    const ebsPerNodeHour = (facts.nodeRootVolumeGiB * price.gp3UsdPerGbMonth) / HOURS_PER_MONTH;
    const data = workload.data ?? { s3ReadGiB: 0, s3WriteGiB: 0, shuffleGiB: 0 };
    /** Root volumes for `hours` node-hours, NAT bytes for `nodes` new nodes and the job's S3 traffic, cross-AZ shuffle. */
    const extrasFor = (hours: number, nodes: number): LineItem[] => {
        const items: LineItem[] = [{ item: `EBS gp3 root volumes: ${facts.nodeRootVolumeGiB} GiB per node for its billed time`, usd: hours * ebsPerNodeHour }];
        if (facts.natGateways > 0) {
            const imagesThroughNat = !(facts.s3GatewayEndpoint && facts.sparkImagesInRegionalEcr);
            const imageGb = imagesThroughNat ? nodes * ASSUMPTIONS.imageGiB : 0;
            const s3Gb = facts.s3GatewayEndpoint ? 0 : data.s3ReadGiB + data.s3WriteGiB;
            const gb = imageGb + s3Gb;
            items.push({
                item: `NAT data processing: ${gb.toFixed(1)} GB (${
                    imagesThroughNat ? `image pulls ${imageGb.toFixed(1)} GB, ${nodes} nodes x ${ASSUMPTIONS.imageGiB} GB${facts.s3GatewayEndpoint ? ": ECR Public is not served by VPC endpoints, an image in this region's ECR would be" : ""}` : "image pulls: none, ECR layers through the S3 gateway endpoint"
                }; S3 read/write ${facts.s3GatewayEndpoint ? "none, through the S3 gateway endpoint" : `${s3Gb.toFixed(1)} GB, an S3 gateway endpoint would make it $0`})`,
                usd: gb * price.natGatewayUsdPerGb,
            });
            if (facts.s3aJarsAtStart) {
                // Each pod that needs the jars fetches them itself (an emptyDir), S3 endpoint or not.
                const jarPods = 1 + (executorsFetchS3AJars(workload) ? workload.executor.instances : 0);
                const jarGb = jarPods * ASSUMPTIONS.s3aJarsGiB;
                items.push({
                    item: `NAT data processing, S3A jars from Maven Central: ${jarGb.toFixed(1)} GB (${jarPods} pods x ${ASSUMPTIONS.s3aJarsGiB} GB; an image with S3A, sparkImageHasS3A, makes it $0)`,
                    usd: jarGb * price.natGatewayUsdPerGb,
                });
            }
        }
        if (options.crossAzShuffle && data.shuffleGiB > 0) {
            const crossing = data.shuffleGiB * (1 - 1 / Math.max(1, facts.availabilityZones));
            items.push({ item: `cross-AZ shuffle: ${crossing.toFixed(0)} GB across ${facts.availabilityZones} AZs`, usd: crossing * 2 * price.crossAzUsdPerGbEachWay });
        }
        return items;
    };
    const extras = (rs: PoolRun[]): LineItem[] => extrasFor(nodeHours(rs), rs.reduce((s, r) => s + r.packing.nodes.length, 0));
    const sum = (items: LineItem[]) => items.reduce((s, i) => s + i.usd, 0);
    const runExtras = extras(runs);
    const computePerRun = { low: runs.reduce((s, r) => s + r.estimate.costPerRun.low, 0), high: runs.reduce((s, r) => s + r.estimate.costPerRun.high, 0) };
    const costPerRunBand = { low: computePerRun.low + sum(runExtras), high: computePerRun.high + sum(runExtras) };

    // Lower bound: cheapest whole instances, billed for the job plus the unavoidable launch.
    const minimalHours = (workload.durationMinutes + ASSUMPTIONS.launchToReadySeconds / 60) / 60;
    const lb = runs.map((r, i) => ({ pool: r.estimate.pool, ...cheapestWholeInstances(i === 0 ? pods.driver : pods.executor, r.offerings, ASSUMPTIONS.daemonSetOverhead) }));
    const lowerBound = lb.reduce((s, x) => s + x.usdPerHour, 0) * minimalHours;
    const atMinimal = { high: runs.reduce((s, r) => s + r.estimate.usdPerHour.high, 0) * minimalHours, low: runs.reduce((s, r) => s + r.estimate.usdPerHour.low, 0) * minimalHours };

    // Utilization over every launched node.
    const u = runs.map((r) => utilization(r.packing, r.launched)).reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory, allocCpu: a.allocCpu + b.allocCpu, allocMemory: a.allocMemory + b.allocMemory }));

    // Baselines.
    const onDemandPerRun = odRuns.reduce((s, r) => s + r.estimate.costPerRun.low, 0) + sum(extras(odRuns));
    const staticNodes = [runs[0].packing, odRuns[1].packing].flatMap((p) => p.nodes);
    const staticUsdPerHour = staticNodes.reduce((s, n) => s + n.offering.usdPerHour + ebsPerNodeHour, 0);
    const staticExtras = sum(extrasFor(0, 0));
    const staticPerRun = (staticUsdPerHour * 24) / options.runsPerDay + staticExtras;
    // Cluster Autoscaler: one Spot node group of one shape for executors, one On-Demand group for drivers.
    const caMinutes =
        ASSUMPTIONS.clusterAutoscalerScanSeconds / 60 +
        (ASSUMPTIONS.launchToReadySeconds + ASSUMPTIONS.imagePullSeconds + jarsSeconds) / 60 +
        workload.durationMinutes +
        ASSUMPTIONS.clusterAutoscalerScaleDownMinutes;
    const caRun = (g: CaNodeGroup) => {
        const nodes = g.nodes + runs[0].packing.nodes.length;
        return ((g.usdPerHour.high + runs[0].estimate.usdPerHour.high) * caMinutes) / 60 + sum(extrasFor((nodes * caMinutes) / 60, nodes));
    };
    // The group shape a team would pick: the cheapest run, its nodes' NAT bytes and volumes included.
    const caGroup = clusterAutoscalerNodeGroup(pods.executor, runs[1].offerings, poolMinValues(executorPool), catalog.interruptionBands, ASSUMPTIONS.daemonSetOverhead, caRun);
    const caPerRun = caRun(caGroup);
    const podHours = (workload.durationMinutes + (ASSUMPTIONS.imagePullSeconds + jarsSeconds) / 60) / 60;
    const allPods = [...pods.driver, ...pods.executor];
    const emrUplift = allPods.reduce((s, p) => s + Math.max(podHours, 1 / 60) * ((p.cpuMilli / 1000) * price.emrOnEksUsdPerVcpuHour + (p.memoryMiB / 1024) * price.emrOnEksUsdPerGbHour), 0);
    const serverlessHours = Math.max(workload.durationMinutes, 1) / 60;
    const workers = [
        emrServerlessWorker(workload.driver.cores, requests.driver.memoryMiB),
        ...pods.executor.map(() => emrServerlessWorker(workload.executor.cores, requests.executor.memoryMiB)),
    ];
    const serverless = workers.reduce((s, w) => s + serverlessHours * (w.vcpu * price.emrServerlessUsdPerVcpuHour + w.memoryGb * price.emrServerlessUsdPerGbHour), 0);

    return {
        stack: facts.stack,
        region: pricing.region,
        workload,
        requests,
        pools: runs.map((r) => r.estimate),
        computePerRun,
        runExtras,
        costPerRun: costPerRunBand.high,
        costPerRunBand,
        lowerBound,
        lowerBoundNodes: lb.map((x) => ({ pool: x.pool, nodes: x.nodes })),
        ratioToLowerBound: computePerRun.high / lowerBound,
        ratioDecomposition: { billedTime: computePerRun.high / atMinimal.high, typePremium: atMinimal.high / atMinimal.low, packing: atMinimal.low / lowerBound },
        cpuUtilizationPct: u.allocCpu ? (100 * u.cpu) / u.allocCpu : 0,
        memoryUtilizationPct: u.allocMemory ? (100 * u.memory) / u.allocMemory : 0,
        instanceTypesLaunchable: { driver: runs[0].estimate.allowedTypes.length, executor: runs[1].estimate.allowedTypes.length },
        ...(executorNodeLimit !== undefined ? { executorNodeLimitVcpus: executorNodeLimit } : {}),
        instanceTypesPerNodeClaim: { driver: runs[0].estimate.typesPerNodeClaim, executor: runs[1].estimate.typesPerNodeClaim },
        baselines: {
            onDemandOnly: onDemandPerRun,
            staticOnDemand: staticPerRun,
            clusterAutoscalerSpot: caPerRun,
            emrOnEks: costPerRunBand.high + emrUplift,
            emrServerless: serverless,
        },
        staticCluster: { nodes: staticNodes.map((n) => n.offering.type.name), usdPerHour: staticUsdPerHour, extrasPerRun: staticExtras },
        clusterAutoscalerGroup: caGroup,
    };
}

export interface IdleFloor {
    items: { item: string; usdPerHour: number }[];
    usdPerHour: number;
    usdPerMonth: number;
}

/** What the stack costs per hour with no job running, in its region: nothing of Karpenter's pools runs then. */
export function idleFloor(facts: StackFacts, catalog: Catalog, pricing: RegionPricing, services: RegionServicePrices): IdleFloor {
    const p = services.prices;
    const scaled = (key: keyof typeof p) => (services.scaled.includes(key) ? " (scaled from us-east-1)" : "");
    const items: IdleFloor["items"] = [];
    if (facts.eksClusters) {
        items.push({ item: "EKS control plane", usdPerHour: p.eksControlPlaneUsdPerHour * facts.eksClusters });
    }
    const systemType: InstanceType | undefined = catalog.byName.get(facts.systemNodes.instanceTypes[0]);
    if (systemType && facts.systemNodes.count) {
        items.push({ item: `${facts.systemNodes.count} x ${systemType.name} system node (On-Demand)`, usdPerHour: facts.systemNodes.count * pricing.onDemand(systemType) });
        items.push({
            item: `${facts.systemNodes.count} x ${ASSUMPTIONS.systemNodeVolumeGiB} GiB gp3 system node root volume${scaled("gp3UsdPerGbMonth")}`,
            usdPerHour: (facts.systemNodes.count * ASSUMPTIONS.systemNodeVolumeGiB * p.gp3UsdPerGbMonth) / HOURS_PER_MONTH,
        });
    }
    if (facts.natGateways) {
        items.push({ item: `${facts.natGateways} NAT gateway(s) with their public IPv4 address${scaled("natGatewayUsdPerHour")}`, usdPerHour: facts.natGateways * (p.natGatewayUsdPerHour + p.publicIpv4UsdPerHour) });
    }
    if (facts.kmsKeys) {
        items.push({ item: `${facts.kmsKeys} KMS key(s)`, usdPerHour: (facts.kmsKeys * p.kmsKeyUsdPerMonth) / HOURS_PER_MONTH });
    }
    if (facts.controlPlaneLogTypes) {
        const gb = ASSUMPTIONS.controlPlaneLogGbPerHour;
        items.push({
            item: `CloudWatch Logs: ${facts.controlPlaneLogTypes} control-plane log types, ~${gb} GB/h ingested (assumption)${scaled("cloudWatchLogsIngestUsdPerGb")}`,
            usdPerHour: gb * p.cloudWatchLogsIngestUsdPerGb + (gb * HOURS_PER_MONTH * p.cloudWatchLogsStorageUsdPerGbMonth) / HOURS_PER_MONTH,
        });
    }
    const usdPerHour = items.reduce((s, i) => s + i.usdPerHour, 0);
    return { items, usdPerHour, usdPerMonth: usdPerHour * HOURS_PER_MONTH };
}

export interface MonthlyRow {
    runsPerDay: number;
    karpenterSpark: number;
    staticOnDemand: number;
    clusterAutoscalerSpot: number;
    emrOnEks: number;
    emrServerless: number;
}

/**
 * A month at `runsPerDay`: the EKS-based options pay the idle floor (control plane, system nodes,
 * NAT, KMS, logs) all month; the always-on cluster also pays its nodes all month; EMR Serverless
 * needs no cluster. Each adds its per-run cost times the runs.
 */
export function monthly(e: JobEstimate, idle: IdleFloor, runsPerDay: number): MonthlyRow {
    const runs = runsPerDay * RUNS_PER_MONTH_PER_DAILY_RUN;
    const floor = idle.usdPerMonth;
    return {
        runsPerDay,
        karpenterSpark: floor + runs * e.costPerRun,
        staticOnDemand: floor + e.staticCluster.usdPerHour * HOURS_PER_MONTH + runs * e.staticCluster.extrasPerRun,
        clusterAutoscalerSpot: floor + runs * e.baselines.clusterAutoscalerSpot,
        emrOnEks: floor + runs * e.baselines.emrOnEks,
        emrServerless: runs * e.baselines.emrServerless,
    };
}

/** A month of several workloads, each run `runsPerDay` times: one idle floor, the largest always-on cluster. */
export function monthlyAll(estimates: JobEstimate[], idle: IdleFloor, runsPerDay: number): MonthlyRow {
    const rows = estimates.map((e) => monthly(e, idle, runsPerDay));
    const floor = idle.usdPerMonth;
    const sumBeyond = (k: keyof MonthlyRow, base: (e: JobEstimate) => number) => rows.reduce((s, r, i) => s + r[k] - base(estimates[i]), 0);
    const staticCluster = Math.max(...estimates.map((e) => e.staticCluster.usdPerHour)) * HOURS_PER_MONTH;
    return {
        runsPerDay,
        karpenterSpark: floor + sumBeyond("karpenterSpark", () => floor),
        staticOnDemand: floor + staticCluster + sumBeyond("staticOnDemand", (e) => floor + e.staticCluster.usdPerHour * HOURS_PER_MONTH),
        clusterAutoscalerSpot: floor + sumBeyond("clusterAutoscalerSpot", () => floor),
        emrOnEks: floor + sumBeyond("emrOnEks", () => floor),
        emrServerless: sumBeyond("emrServerless", () => 0),
    };
}

export type Alternative = Exclude<keyof MonthlyRow, "runsPerDay" | "karpenterSpark">;
export const ALTERNATIVES: Alternative[] = ["staticOnDemand", "clusterAutoscalerSpot", "emrOnEks", "emrServerless"];

/**
 * Where each alternative and this stack cost the same per month (both are linear in runs per day):
 * below or above that many runs per day the alternative is cheaper. Undefined when one is always cheaper.
 */
export function breakEven(e: JobEstimate, idle: IdleFloor): { alternative: Alternative; runsPerDay?: number; cheaperWhen: string }[] {
    const at0 = monthly(e, idle, 0);
    const at1 = monthly(e, idle, 1);
    return ALTERNATIVES.map((alternative) => {
        const fixedDiff = at0[alternative] - at0.karpenterSpark;
        const slopeDiff = at1[alternative] - at0[alternative] - (at1.karpenterSpark - at0.karpenterSpark);
        if (Math.abs(slopeDiff) < 1e-12) {
            return { alternative, cheaperWhen: fixedDiff < 0 ? "always" : "never" };
        }
        const x = -fixedDiff / slopeDiff;
        if (x <= 0) {
            return { alternative, cheaperWhen: slopeDiff < 0 ? "always" : "never" };
        }
        // One always-on cluster sized for the job runs it back to back at most this often.
        const fit = Math.floor((24 * 60) / e.workload.durationMinutes);
        if (alternative === "staticOnDemand" && x > fit) {
            return { alternative, runsPerDay: x, cheaperWhen: `never (above ${x.toFixed(1)} runs/day, but one cluster runs at most ${fit} a day)` };
        }
        return { alternative, runsPerDay: x, cheaperWhen: slopeDiff < 0 ? `above ${x.toFixed(1)} runs/day` : `below ${x.toFixed(1)} runs/day` };
    });
}
