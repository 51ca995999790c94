import { CapacityType, SparkRole } from "../enums";
import { Toleration } from "../karpenter/values";
import { EXECUTOR_DECOMMISSION_FORCE_KILL_SECONDS, EXECUTOR_TERMINATION_GRACE_SECONDS } from "../spark/decommission";
import { PoolCapacity } from "../validation/launchability";
import { SPARK_ROLE_KEY } from "./specs";

// What a Spark job puts in its SparkApplication so that its driver lands on the On-Demand
// driver pool and its executors on the Spot executor pool. The Spark Operator applies
// `affinity`, `tolerations` and per-pod `nodeSelector` only through its mutating webhook; the pod
// templates carry the same placement and work without it.

// Spark's decommission window and the executor pod's grace period: one timeline with the
// two-minute Spot notice, numbers and sources in components/spark/decommission.ts.
export { EXECUTOR_DECOMMISSION_FORCE_KILL_SECONDS, EXECUTOR_TERMINATION_GRACE_SECONDS };

/** The well-known label Karpenter puts on every node it launches, naming its NodePool. */
export const NODEPOOL_LABEL = "karpenter.sh/nodepool";
/** The well-known label naming a node's capacity type. */
export const CAPACITY_TYPE_LABEL = "karpenter.sh/capacity-type";

export interface NodeSelectorRequirement {
    /** The node label key. */
    key: string;
    /** In, NotIn, Exists, DoesNotExist, Gt or Lt. */
    operator: string;
    /** Values for In and NotIn (one integer for Gt and Lt). */
    values?: string[];
}

export interface NodeSelectorTerm {
    /** Requirements that must all hold. */
    matchExpressions: NodeSelectorRequirement[];
}

export interface RequiredNodeSelector {
    /** Terms of which at least one must hold. */
    nodeSelectorTerms: NodeSelectorTerm[];
}

export interface NodeAffinity {
    /** Hard constraints the scheduler (and Karpenter) must satisfy. */
    requiredDuringSchedulingIgnoredDuringExecution: RequiredNodeSelector;
}

export interface Affinity {
    /** Constraints on the node's labels. */
    nodeAffinity: NodeAffinity;
}

export interface PodTemplateMetadata {
    /** Annotations on the pod. */
    annotations: Record<string, string>;
}

export interface PodTemplatePodSpec {
    /** Node labels the pod requires. */
    nodeSelector: Record<string, string>;
    /** Taints the pod tolerates. */
    tolerations: Toleration[];
    /** Node affinity of the pod. */
    affinity: Affinity;
    /** Seconds the pod gets to stop before it is killed; the Kubernetes default (30) when unset. */
    terminationGracePeriodSeconds?: number;
}

export interface PodTemplate {
    /** Pod metadata. */
    metadata: PodTemplateMetadata;
    /** Pod spec fields that carry the placement. */
    spec: PodTemplatePodSpec;
}

/** Everything a SparkApplication needs to place one Spark role on its pool. */
export interface SparkPodPlacement {
    /** For `spec.driver.nodeSelector` / `spec.executor.nodeSelector`. */
    nodeSelector: Record<string, string>;
    /** For `spec.driver.tolerations` / `spec.executor.tolerations` (applied by the operator's webhook). */
    tolerations: Toleration[];
    /** For `spec.driver.affinity` / `spec.executor.affinity` (applied by the operator's webhook). */
    affinity: Affinity;
    /** For `spec.driver.annotations` / `spec.executor.annotations`. */
    annotations: Record<string, string>;
    /** For `spec.driver.template` / `spec.executor.template`: the same placement without the webhook. */
    template: PodTemplate;
    /** Spark properties to merge into `spec.sparkConf`. */
    sparkConf: Record<string, string>;
    /** For `spec.executor.terminationGracePeriodSeconds`; unset for drivers. */
    terminationGracePeriodSeconds?: number;
    /**
     * What one pod can get on the nodes of the pool (from the instance catalog), so that SparkJob
     * and SparkOperator's example refuse a driver or executor that fits none. Not part of any
     * manifest; unset on a placement not built by SpotExecutorPool (pod fit is then not checked).
     */
    capacity?: PoolCapacity;
}

/**
 * Executor decommissioning (Spark 3.2+): on SIGTERM (Karpenter drains a node on a Spot
 * interruption notice, on consolidation and on expiry) the executor stops taking tasks and moves
 * its shuffle and cached RDD blocks to live executors before it exits. Every key is in Spark's
 * configuration reference (tests/unit/placement.spec.ts lists where).
 */
export function executorDecommissionConf(): Record<string, string> {
    return {
        "spark.decommission.enabled": "true",
        "spark.storage.decommission.enabled": "true",
        "spark.storage.decommission.shuffleBlocks.enabled": "true",
        "spark.storage.decommission.rddBlocks.enabled": "true",
        "spark.executor.decommission.forceKillTimeout": `${EXECUTOR_DECOMMISSION_FORCE_KILL_SECONDS}s`,
    };
}

export interface PlacementInput {
    role: SparkRole;
    /** The NodePool that runs this role. */
    nodePoolName: string;
    /** Capacity types that NodePool allows. */
    capacityTypes: CapacityType[];
    /** What one pod can get on that NodePool's nodes, when known. */
    capacity?: PoolCapacity;
}

export function sparkPodPlacement(i: PlacementInput): SparkPodPlacement {
    const nodeSelector = { [NODEPOOL_LABEL]: i.nodePoolName, [SPARK_ROLE_KEY]: i.role };
    const tolerations: Toleration[] = [{ key: SPARK_ROLE_KEY, operator: "Equal", value: i.role, effect: "NoSchedule" }];
    const isDriver = i.role === SparkRole.Driver;
    // The seed's affinity: drivers anywhere but Spot, executors on the pool's capacity types.
    const capacity: NodeSelectorRequirement = isDriver
        ? { key: CAPACITY_TYPE_LABEL, operator: "NotIn", values: [CapacityType.Spot] }
        : { key: CAPACITY_TYPE_LABEL, operator: "In", values: [...i.capacityTypes] };
    const affinity: Affinity = {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [capacity] }] } },
    };
    // Consolidation must never evict a running driver: the whole job would fail with it.
    const annotations: Record<string, string> = isDriver ? { "karpenter.sh/do-not-disrupt": "true" } : {};
    const grace = isDriver ? undefined : EXECUTOR_TERMINATION_GRACE_SECONDS;
    return {
        nodeSelector,
        tolerations,
        affinity,
        annotations,
        template: {
            metadata: { annotations: { ...annotations } },
            spec: {
                nodeSelector: { ...nodeSelector },
                tolerations: tolerations.map((t) => ({ ...t })),
                affinity: structuredClone(affinity),
                ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
            },
        },
        sparkConf: isDriver ? {} : executorDecommissionConf(),
        ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
        ...(i.capacity ? { capacity: i.capacity } : {}),
    };
}

/**
 * What each executor pod requests of CPU per core (spark.kubernetes.executor.request.cores, the
 * SparkApplication's executor.coreRequest), so that executors fill every node from 4 vCPUs up:
 * Karpenter's allocatable for 4 vCPUs is 3920m (https://karpenter.sh/docs/reference/instance-types/,
 * the catalog's allocatable), 150m of DaemonSets leave 3770m, and 4 x 940m = 3760m; larger nodes
 * leave more per core (tests/unit/executorFit.spec.ts proves both on every type of the catalog).
 * Spark still runs one task per core, and the pod, which has no CPU limit, may use what the node
 * leaves idle.
 */
export const EXECUTOR_REQUEST_MILLI_PER_CORE = 940;

/** The CPU an executor of `cores` cores requests, in millicores. */
export function executorCoreRequestMilli(cores: number): number {
    return cores * EXECUTOR_REQUEST_MILLI_PER_CORE;
}

export function executorCoreRequest(cores: number): string {
    return `${executorCoreRequestMilli(cores)}m`;
}
