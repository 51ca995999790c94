import { Catalog, loadCatalog } from "../catalog/catalog";
import { Candidate, minValuesProblems, NodePoolSpec, poolCandidates } from "../catalog/scheduling";
import { DAEMONSET_OVERHEAD, PoolCapacity, typesInRegion } from "../validation/launchability";

// Karpenter puts pending pods on one NodeClaim for as long as some instance type holds them all
// (keeping the pool's minValues), then launches one of those types: the cheapest On-Demand, EC2's
// price-capacity-optimized choice on Spot (https://karpenter.sh/docs/concepts/scheduling/;
// kubernetes-sigs/karpenter v1.14.1 pkg/controllers/provisioning/scheduling/nodeclaim.go): twenty
// 1-core executors become one 32-vCPU node at 60% of its CPU. A job knows its executors, so it can
// narrow their nodes with a pod node affinity on karpenter.k8s.aws/instance-cpu (Karpenter
// intersects it with the pool's requirements, same page, "Well-Known Labels") to the size its
// executor set fills. No prices: which type a NodeClaim becomes is estimated by on-demand list
// price, a stable proxy for Spot's.

/** Where a job's executors go and how large its nodes may be. */
export interface ExecutorFit {
    /** The largest node the job's executors should get, in vCPUs; undefined when the pool's own sizes pack them as well. */
    maxInstanceVcpus?: number;
    /** What each executor requests of CPU: the most, up to its cores, that still packs onto the same nodes. */
    cpuMilli: number;
    /** vCPUs of each node Karpenter is expected to launch for the executors with that limit. */
    nodeVcpus: number[];
    /** vCPUs of each node without it. */
    poolNodeVcpus: number[];
}

/** The affinity key a job narrows its executors' node size with. */
export const INSTANCE_CPU_LABEL = "karpenter.k8s.aws/instance-cpu";

interface Option {
    candidate: Candidate;
    /** How many of the executors one node of this type holds, after the DaemonSets. */
    holds: number;
}

/** The nodes Karpenter launches for `count` identical pods among `options`: full NodeClaims, then one for the rest. */
function plan(options: Option[], count: number, viable: (o: Option[]) => boolean): number[] | undefined {
    const holding = (n: number) => options.filter((o) => o.holds >= n);
    // Viability only shrinks as a claim grows: the largest viable claim by bisection.
    let lo = 0;
    let hi = Math.min(count, Math.max(0, ...options.map((o) => o.holds)));
    while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (viable(holding(mid))) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if (lo === 0) {
        return undefined;
    }
    const launched = (n: number) =>
        holding(n).reduce((a, b) => (b.candidate.type.onDemandUsdPerHourUsEast1 < a.candidate.type.onDemandUsdPerHourUsEast1 ? b : a)).candidate.type.vcpu;
    const full = Math.floor(count / lo);
    const rest = count % lo;
    return [...Array<number>(full).fill(launched(lo)), ...(rest > 0 ? [launched(rest)] : [])];
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

/** An executor pod as the fit may size it. */
export interface ExecutorPod {
    /** The least CPU it requests, in millicores: the platform's default (940m per core). */
    cpuMilli: number;
    /** The most CPU it may request, in millicores: its cores. */
    maxCpuMilli: number;
    /** Its memory with Spark's overhead, in MiB. */
    memoryMiB: number;
}

/**
 * The node size that `count` executors fill best on the pool `capacity` describes: the fewest
 * vCPUs launched, then the fewest nodes, then the largest limit; and the most CPU each may then
 * request without changing those nodes. Undefined when no type the pool may launch holds one
 * executor (the pod-fit check reports that).
 */
export function executorFit(capacity: Required<Pick<PoolCapacity, "nodePoolName" | "region" | "requirements" | "cpuLimit">>, pod: ExecutorPod, count: number, catalog: Catalog = loadCatalog()): ExecutorFit | undefined {
    const pool: NodePoolSpec = { name: capacity.nodePoolName, labels: {}, requirements: capacity.requirements, taints: [], cpuLimit: capacity.cpuLimit };
    const candidates = poolCandidates(pool, typesInRegion(catalog, capacity.region).types).filter((c) => c.type.vcpu <= capacity.cpuLimit);
    const optionsAt = (cpuMilli: number, limit: number): Option[] =>
        candidates
            .filter((c) => c.type.vcpu <= limit)
            .map((candidate) => {
                const a = candidate.type.allocatable;
                const holds = Math.min(
                    Math.floor((a.cpuMilli - DAEMONSET_OVERHEAD.cpuMilli) / cpuMilli),
                    Math.floor((a.memoryMiB - DAEMONSET_OVERHEAD.memoryMiB) / pod.memoryMiB),
                    a.pods - DAEMONSET_OVERHEAD.pods,
                );
                return { candidate, holds };
            })
            .filter((o) => o.holds > 0);
    const viable = (os: Option[]) => os.length > 0 && minValuesProblems(pool, os.map((o) => o.candidate)).length === 0;
    const planAt = (cpuMilli: number, limit = Number.POSITIVE_INFINITY) => plan(optionsAt(cpuMilli, limit), count, viable);
    const poolNodes = planAt(pod.cpuMilli);
    if (!poolNodes) {
        return undefined;
    }
    let best = { limit: Number.POSITIVE_INFINITY, nodes: poolNodes };
    // Largest first, so that a tie keeps the widest choice of types.
    for (const limit of [...new Set(candidates.map((c) => c.type.vcpu))].sort((a, b) => b - a)) {
        const nodes = planAt(pod.cpuMilli, limit);
        if (nodes && (sum(nodes) < sum(best.nodes) || (sum(nodes) === sum(best.nodes) && nodes.length < best.nodes.length))) {
            best = { limit, nodes };
        }
    }
    // The most CPU (in 10m steps) each executor may request and still land on the same nodes: no
    // headroom where it buys nothing (memory-bound executors request their whole cores).
    const same = (cpuMilli: number) => {
        const nodes = planAt(cpuMilli, best.limit);
        return nodes !== undefined && sum(nodes) === sum(best.nodes) && nodes.length === best.nodes.length;
    };
    let lo = pod.cpuMilli;
    let hi = Math.max(lo, Math.floor(pod.maxCpuMilli / 10) * 10);
    while (lo < hi) {
        const mid = lo + Math.ceil((hi - lo) / 20) * 10;
        if (same(mid)) {
            lo = mid;
        } else {
            hi = mid - 10;
        }
    }
    return { ...(Number.isFinite(best.limit) ? { maxInstanceVcpus: best.limit } : {}), cpuMilli: lo, nodeVcpus: best.nodes, poolNodeVcpus: poolNodes };
}
