// What a Spark job costs on the NodePools a stack renders, against three references: the same
// pools On-Demand only, a static always-on node group, and the lower bound.
import { CapacityType, SparkRole } from "../components/enums";
import { SparkPodPlacement, sparkPodPlacement } from "../components/pools/placement";
import { SPARK_ROLE_KEY } from "../components/pools/specs";
import { Registration } from "../tools/mocks";
import { Catalog, EstimateError, InstanceType, RegionPricing } from "./catalog";
import { Offering, Overhead, pack, Packing, Pod } from "./packing";
import { minValuesProblems, NodePoolSpec, nodeLabels, nodePoolSpec, poolCandidates, poolCapacityTypes, podMayRunOn } from "../components/catalog/scheduling";
import { PodRequest, sparkPodRequest, Workload } from "./spark";

// Assumptions the fixtures do not cover: AWS list prices in us-east-1 (2026), and what every node
// runs besides Spark. The report prints them.
export const ASSUMPTIONS = {
    eksControlPlaneUsdPerHour: 0.1,
    natGatewayUsdPerHour: 0.045,
    publicIpv4UsdPerHour: 0.005,
    kmsKeyUsdPerMonth: 1,
    /** gp3 storage, and the root volume a managed node group gives each node by default. */
    gp3UsdPerGbMonth: 0.08,
    systemNodeVolumeGiB: 20,
    hoursPerMonth: 730,
    /** From a NodeClaim's creation to a Ready node that runs the pod. */
    nodeStartupMinutes: 1,
    /** aws-node (VPC CNI), kube-proxy and eks-pod-identity-agent DaemonSets, per node. */
    daemonSetOverhead: { cpuMilli: 150, memoryMiB: 150, pods: 3 } as Overhead,
};

/** What the estimator needs from a rendered stack. */
export interface StackFacts {
    stack: string;
    region: string;
    pools: NodePoolSpec[];
    systemNodes: { instanceTypes: string[]; count: number };
    natGateways: number;
    kmsKeys: number;
    eksClusters: number;
}

export function stackFacts(stack: string, region: string, registrations: Registration[]): StackFacts {
    const of = (type: string) => registrations.filter((r) => r.type === type).map((r) => r.inputs as any);
    const vpcs = of("awsx:ec2:Vpc");
    const nodeGroups = of("eks:index:ManagedNodeGroup");
    return {
        stack,
        region,
        pools: of("kubernetes:karpenter.sh/v1:NodePool").map(nodePoolSpec),
        systemNodes: {
            instanceTypes: nodeGroups.flatMap((n) => n.instanceTypes ?? []),
            count: nodeGroups.reduce((s, n) => s + (n.scalingConfig?.desiredSize ?? 0), 0),
        },
        natGateways: vpcs.reduce(
            (s, v) => s + (v.natGateways?.strategy === "OnePerAz" ? v.numberOfAvailabilityZones : v.natGateways?.strategy === "None" ? 0 : 1),
            0,
        ),
        kmsKeys: of("aws:kms/key:Key").length,
        eksClusters: of("eks:index:Cluster").length,
    };
}

export interface NodeLine {
    instanceType: string;
    capacityType: string;
    count: number;
    usdPerHour: number;
    vcpu: number;
    memoryGiB: number;
    spotSavingsPct?: number;
    interruptionBand?: string;
}

export interface PoolEstimate {
    pool: string;
    role: string;
    capacityTypes: string[];
    allowedInstanceTypes: number;
    /** Every instance type the pool may launch for this placement (the families in the text report). */
    allowedTypes: string[];
    minValuesProblems: string[];
    nodes: NodeLine[];
    unscheduledPods: string[];
    usdPerHour: number;
    costPerJob: number;
    cpuUtilizationPct: number;
    memoryUtilizationPct: number;
}

export interface ScenarioEstimate {
    pools: PoolEstimate[];
    costPerJob: number;
    cpuUtilizationPct: number;
    memoryUtilizationPct: number;
}

export interface JobEstimate {
    stack: string;
    region: string;
    workload: Workload;
    requests: { driver: PodRequest; executor: PodRequest };
    billedMinutesPerNode: number;
    stackPools: ScenarioEstimate;
    onDemandOnly: ScenarioEstimate;
    staticBaseline: { instanceType: string; nodes: number; usdPerHour: number; costPerDay: number };
    lowerBound: number;
    savingsVsStaticPct: number;
    savingsVsOnDemandPct: number;
    ratioToLowerBound: number;
}

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

/** The pool's offerings that a pod with this placement may use, priced; Spot when the pool allows it. */
function offerings(pool: NodePoolSpec, placement: SparkPodPlacement, catalog: Catalog, pricing: RegionPricing): { offerings: Offering[]; allowed: string[]; minValues: string[] } {
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

function utilization(packing: Packing): { cpu: number; memory: number; allocCpu: number; allocMemory: number } {
    let cpu = 0;
    let memory = 0;
    let allocCpu = 0;
    let allocMemory = 0;
    for (const n of packing.nodes) {
        cpu += n.pods.reduce((s, p) => s + p.cpuMilli, 0);
        memory += n.pods.reduce((s, p) => s + p.memoryMiB, 0);
        allocCpu += n.offering.type.allocatable.cpuMilli;
        allocMemory += n.offering.type.allocatable.memoryMiB;
    }
    return { cpu, memory, allocCpu, allocMemory };
}

function poolEstimate(pool: NodePoolSpec, pods: Pod[], catalog: Catalog, pricing: RegionPricing, durationMinutes: number): PoolEstimate & { packing: Packing } {
    const placement = placementFor(pool);
    const o = offerings(pool, placement, catalog, pricing);
    const minTypes = pool.requirements.find((r) => r.key === "node.kubernetes.io/instance-type" && r.minValues)?.minValues ?? 1;
    const packing = pack(pods, o.offerings, { overhead: ASSUMPTIONS.daemonSetOverhead, minInstanceTypes: minTypes, cpuLimit: pool.cpuLimit });
    const billedHours = (durationMinutes + ASSUMPTIONS.nodeStartupMinutes + minutes(pool.consolidateAfter)) / 60;
    const lines = new Map<string, NodeLine>();
    for (const n of packing.nodes) {
        const key = `${n.offering.type.name}/${n.offering.capacityType}`;
        const line = lines.get(key) ?? {
            instanceType: n.offering.type.name,
            capacityType: n.offering.capacityType,
            count: 0,
            usdPerHour: n.offering.usdPerHour,
            vcpu: n.offering.type.vcpu,
            memoryGiB: n.offering.type.memoryMiB / 1024,
            spotSavingsPct: n.offering.savingsPct,
            interruptionBand: n.offering.interruptionBand,
        };
        line.count++;
        lines.set(key, line);
    }
    const usdPerHour = packing.nodes.reduce((s, n) => s + n.offering.usdPerHour, 0);
    const u = utilization(packing);
    return {
        pool: pool.name,
        role: roleOf(pool),
        capacityTypes: poolCapacityTypes(pool),
        allowedInstanceTypes: o.allowed.length,
        allowedTypes: o.allowed,
        minValuesProblems: o.minValues,
        nodes: [...lines.values()],
        unscheduledPods: packing.unscheduled.map((x) => `${x.pod.name}: ${x.reason}`),
        usdPerHour,
        costPerJob: usdPerHour * billedHours,
        cpuUtilizationPct: u.allocCpu ? (100 * u.cpu) / u.allocCpu : 0,
        memoryUtilizationPct: u.allocMemory ? (100 * u.memory) / u.allocMemory : 0,
        packing,
    };
}

function scenario(pools: NodePoolSpec[], pods: { driver: Pod[]; executor: Pod[] }, catalog: Catalog, pricing: RegionPricing, durationMinutes: number): ScenarioEstimate & { packings: Packing[] } {
    const estimates = pools.map((p) => poolEstimate(p, roleOf(p) === SparkRole.Driver ? pods.driver : pods.executor, catalog, pricing, durationMinutes));
    const u = estimates.map((e) => utilization(e.packing)).reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory, allocCpu: a.allocCpu + b.allocCpu, allocMemory: a.allocMemory + b.allocMemory }));
    return {
        pools: estimates.map(({ packing: _packing, ...rest }) => rest),
        packings: estimates.map((e) => e.packing),
        costPerJob: estimates.reduce((s, e) => s + e.costPerJob, 0),
        cpuUtilizationPct: u.allocCpu ? (100 * u.cpu) / u.allocCpu : 0,
        memoryUtilizationPct: u.allocMemory ? (100 * u.memory) / u.allocMemory : 0,
    };
}

/** The pool with executors bought On-Demand instead of Spot. */
function onDemandOnly(pool: NodePoolSpec): NodePoolSpec {
    return {
        ...pool,
        requirements: pool.requirements.map((r) => (r.key === "karpenter.sh/capacity-type" ? { ...r, values: ["on-demand"] } : r)),
    };
}

/**
 * A cluster without Karpenter: one always-on On-Demand node group of a single general-purpose
 * type, sized for the job's peak. The type is the cheapest such choice, so the baseline is fair.
 */
function staticBaseline(executorPool: NodePoolSpec, pods: Pod[], catalog: Catalog, pricing: RegionPricing) {
    const arch = executorPool.requirements.find((r) => r.key === "kubernetes.io/arch")?.values?.[0] ?? "amd64";
    let best: { instanceType: string; nodes: number; usdPerHour: number; costPerDay: number } | undefined;
    for (const t of catalog.types.filter((x) => x.category === "m" && x.generation > 2 && x.arch === arch && !x.size.startsWith("metal"))) {
        const offering: Offering = { type: t, capacityType: "on-demand", usdPerHour: pricing.onDemand(t) };
        const p = pack(pods, [offering], { overhead: ASSUMPTIONS.daemonSetOverhead, minInstanceTypes: 1 });
        if (p.unscheduled.length > 0) {
            continue;
        }
        const usdPerHour = p.nodes.length * offering.usdPerHour;
        if (!best || usdPerHour < best.usdPerHour) {
            best = { instanceType: t.name, nodes: p.nodes.length, usdPerHour, costPerDay: usdPerHour * 24 };
        }
    }
    if (!best) {
        throw new EstimateError(`no general-purpose ${arch} instance type can hold the workload's largest pod`);
    }
    return best;
}

/** The requests priced at the cheapest $/vCPU and $/GiB the pool offers, with no fragmentation. */
function lowerBound(pool: NodePoolSpec, pods: Pod[], catalog: Catalog, pricing: RegionPricing, durationMinutes: number): number {
    if (pods.length === 0) {
        return 0;
    }
    const o = offerings(pool, placementFor(pool), catalog, pricing).offerings;
    const perVcpu = Math.min(...o.map((x) => x.usdPerHour / x.type.vcpu));
    const perGiB = Math.min(...o.map((x) => x.usdPerHour / (x.type.memoryMiB / 1024)));
    const vcpus = pods.reduce((s, p) => s + p.cpuMilli, 0) / 1000;
    const gib = pods.reduce((s, p) => s + p.memoryMiB, 0) / 1024;
    return Math.max(vcpus * perVcpu, gib * perGiB) * (durationMinutes / 60);
}

export function estimateJob(facts: StackFacts, workload: Workload, catalog: Catalog, pricing: RegionPricing): JobEstimate {
    const driverPool = facts.pools.find((p) => roleOf(p) === SparkRole.Driver);
    const executorPool = facts.pools.find((p) => roleOf(p) === SparkRole.Executor);
    if (!driverPool || !executorPool) {
        throw new EstimateError(`stack ${facts.stack} renders no driver and executor NodePools (labelled ${SPARK_ROLE_KEY})`);
    }
    const jvm = workload.type === "Scala" || workload.type === "Java";
    const requests = { driver: sparkPodRequest(workload.driver.cores, workload.driver.memory, jvm), executor: sparkPodRequest(workload.executor.cores, workload.executor.memory, jvm) };
    const pods = {
        driver: [{ name: "driver", ...requests.driver }],
        executor: Array.from({ length: workload.executor.instances }, (_, i) => ({ name: `exec-${i + 1}`, ...requests.executor })),
    };
    const pools = [driverPool, executorPool];
    const stackPools = scenario(pools, pods, catalog, pricing, workload.durationMinutes);
    const od = scenario([driverPool, onDemandOnly(executorPool)], pods, catalog, pricing, workload.durationMinutes);
    const baseline = staticBaseline(executorPool, [...pods.driver, ...pods.executor], catalog, pricing);
    const lb = lowerBound(driverPool, pods.driver, catalog, pricing, workload.durationMinutes) + lowerBound(executorPool, pods.executor, catalog, pricing, workload.durationMinutes);
    const { packings: _a, ...stackResult } = stackPools;
    const { packings: _b, ...odResult } = od;
    return {
        stack: facts.stack,
        region: pricing.region,
        workload,
        requests,
        billedMinutesPerNode: workload.durationMinutes + ASSUMPTIONS.nodeStartupMinutes + minutes(executorPool.consolidateAfter),
        stackPools: stackResult,
        onDemandOnly: odResult,
        staticBaseline: baseline,
        lowerBound: lb,
        savingsVsStaticPct: 100 * (1 - stackResult.costPerJob / baseline.costPerDay),
        savingsVsOnDemandPct: 100 * (1 - stackResult.costPerJob / odResult.costPerJob),
        ratioToLowerBound: stackResult.costPerJob / lb,
    };
}

export interface IdleFloor {
    items: { item: string; usdPerHour: number }[];
    usdPerHour: number;
    usdPerMonth: number;
}

/** What the stack costs per hour with no job running: nothing of Karpenter's pools runs then. */
export function idleFloor(facts: StackFacts, catalog: Catalog, pricing: RegionPricing): IdleFloor {
    const items: IdleFloor["items"] = [];
    if (facts.eksClusters) {
        items.push({ item: "EKS control plane", usdPerHour: ASSUMPTIONS.eksControlPlaneUsdPerHour * facts.eksClusters });
    }
    const systemType: InstanceType | undefined = catalog.byName.get(facts.systemNodes.instanceTypes[0]);
    if (systemType && facts.systemNodes.count) {
        items.push({ item: `${facts.systemNodes.count} x ${systemType.name} system node (On-Demand)`, usdPerHour: facts.systemNodes.count * pricing.onDemand(systemType) });
        items.push({
            item: `${facts.systemNodes.count} x ${ASSUMPTIONS.systemNodeVolumeGiB} GiB gp3 system node root volume`,
            usdPerHour: (facts.systemNodes.count * ASSUMPTIONS.systemNodeVolumeGiB * ASSUMPTIONS.gp3UsdPerGbMonth) / ASSUMPTIONS.hoursPerMonth,
        });
    }
    if (facts.natGateways) {
        items.push({ item: `${facts.natGateways} NAT gateway(s) with their public IPv4 address`, usdPerHour: facts.natGateways * (ASSUMPTIONS.natGatewayUsdPerHour + ASSUMPTIONS.publicIpv4UsdPerHour) });
    }
    if (facts.kmsKeys) {
        items.push({ item: `${facts.kmsKeys} KMS key(s)`, usdPerHour: (facts.kmsKeys * ASSUMPTIONS.kmsKeyUsdPerMonth) / ASSUMPTIONS.hoursPerMonth });
    }
    const usdPerHour = items.reduce((s, i) => s + i.usdPerHour, 0);
    return { items, usdPerHour, usdPerMonth: usdPerHour * ASSUMPTIONS.hoursPerMonth };
}

const usd = (n: number) => (n < 0.1 ? `$${n.toFixed(4)}` : n < 10 ? `$${n.toFixed(3)}` : `$${n.toFixed(2)}`);
const pct = (n: number) => `${n.toFixed(0)}%`;

export function formatEstimate(e: JobEstimate, idle: IdleFloor, pricesAsOf: string): string {
    const w = e.workload;
    const lines = [
        `Cost estimate: stack ${e.stack}, region ${e.region} (offline prices: ${pricesAsOf})`,
        `Workload ${w.name}: driver ${w.driver.cores} core/${w.driver.memory}, ${w.executor.instances} executors of ${w.executor.cores} core/${w.executor.memory}, ${w.durationMinutes} min`,
        `  pod requests (memory + Spark overhead): driver ${e.requests.driver.cpuMilli / 1000} CPU/${e.requests.driver.memoryMiB} MiB, executor ${e.requests.executor.cpuMilli / 1000} CPU/${e.requests.executor.memoryMiB} MiB`,
        `  nodes billed ${e.billedMinutesPerNode.toFixed(1)} min each (job + ${ASSUMPTIONS.nodeStartupMinutes} min start + consolidateAfter)`,
        "",
    ];
    for (const p of e.stackPools.pools) {
        const families = [...new Set(p.allowedTypes.map((t) => t.split(".")[0]))];
        lines.push(`NodePool ${p.pool} (${p.role}, ${p.capacityTypes.join("/")}): Karpenter may launch ${p.allowedInstanceTypes} instance types of ${families.length} families`);
        lines.push(`  ${families.join(" ")}`);
        for (const m of p.minValuesProblems) {
            lines.push(`  ! minValues not met: ${m}`);
        }
        for (const n of p.nodes) {
            const spot = n.capacityType === "spot" ? `, Spot ${n.spotSavingsPct}% off On-Demand, interruption ${n.interruptionBand}` : "";
            lines.push(`  ${n.count} x ${n.instanceType} (${n.vcpu} vCPU, ${n.memoryGiB} GiB) ${n.capacityType} at ${usd(n.usdPerHour)}/h${spot}`);
        }
        for (const u of p.unscheduledPods) {
            lines.push(`  ! unscheduled ${u}`);
        }
        lines.push(`  ${usd(p.usdPerHour)}/h, ${usd(p.costPerJob)} per job; utilization CPU ${pct(p.cpuUtilizationPct)}, memory ${pct(p.memoryUtilizationPct)}`);
    }
    lines.push(
        "",
        `Cost per job`,
        `  this stack (drivers On-Demand, executors ${e.stackPools.pools.find((p) => p.role === "executor")?.capacityTypes.join("/")}): ${usd(e.stackPools.costPerJob)}`,
        `  Karpenter, On-Demand only:              ${usd(e.onDemandOnly.costPerJob)} (this stack saves ${pct(e.savingsVsOnDemandPct)})`,
        `  static node group, always on (per day): ${usd(e.staticBaseline.costPerDay)} = ${e.staticBaseline.nodes} x ${e.staticBaseline.instanceType} x 24 h (this stack saves ${pct(e.savingsVsStaticPct)})`,
        `  lower bound (requests at the cheapest $/vCPU and $/GiB): ${usd(e.lowerBound)}; this stack is ${e.ratioToLowerBound.toFixed(2)}x it`,
        "",
        `Idle floor of the stack (no job running): ${usd(idle.usdPerHour)}/h, ${usd(idle.usdPerMonth)}/month`,
        ...idle.items.map((i) => `  ${i.item}: ${usd(i.usdPerHour)}/h`),
        "",
        `Assumptions: DaemonSets ${ASSUMPTIONS.daemonSetOverhead.cpuMilli}m CPU/${ASSUMPTIONS.daemonSetOverhead.memoryMiB} MiB per node; EKS $${ASSUMPTIONS.eksControlPlaneUsdPerHour}/h, NAT $${ASSUMPTIONS.natGatewayUsdPerHour}/h + IPv4 $${ASSUMPTIONS.publicIpv4UsdPerHour}/h, KMS $${ASSUMPTIONS.kmsKeyUsdPerMonth}/month, gp3 $${ASSUMPTIONS.gp3UsdPerGbMonth}/GB-month (us-east-1 list prices); data transfer, Spark nodes' EBS and CloudWatch not included.`,
    );
    return lines.join("\n");
}
