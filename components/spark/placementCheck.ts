import * as pulumi from "@pulumi/pulumi";
import { executorFit, INSTANCE_CPU_LABEL } from "../pools/executorFit";
import { Affinity, executorCoreRequest, SparkPodPlacement } from "../pools/placement";
import { SPARK_ROLE_KEY } from "../pools/specs";
import { Problem, throwIfProblems } from "../validation";
import { labelProblems, mayRunOnSpot, tolerationMatchProblems, tolerationProblems } from "../validation/kubernetes";
import { podFitProblems } from "../validation/launchability";
import { SparkJobType } from "./job";
import { sparkPodRequest } from "./podSize";

// A Spark job's placement and pod sizes against the pools it is placed on: the driver never on
// Spot, tolerations that match the pool's taint, and driver and executor pods that fit at least one
// instance type their pool may launch. One function for a SparkJob and for SparkOperator's example
// job, run at construction on placements known then, and inside the Output's resolution on
// placements passed as Outputs (another stack's, another language's), so that a bad one fails
// `pulumi preview` with the same message either way.

export type SparkRoleName = "driver" | "executor";

/** A value known at construction (not an Output or a Promise), so that it can be checked before anything is registered. */
export function known(value: unknown): boolean {
    return value !== undefined && value !== null && !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/** The placement of one role: never Spot for the driver, tolerating its pool's taint, valid node labels. */
export function placementProblems(role: SparkRoleName, subject: string, p: SparkPodPlacement): Problem[] {
    const problems: Problem[] = [];
    if (role === "driver" && mayRunOnSpot(p)) {
        problems.push({
            subject,
            value: p.nodeSelector,
            allowed: "a placement that excludes Spot capacity (SpotExecutorPool's driverPlacement): a reclaimed driver fails the whole job; was the executor placement passed here?",
        });
    }
    const found = tolerationProblems(`${subject}.tolerations`, p.tolerations ?? []);
    problems.push(...(found.length > 0 ? found : tolerationMatchProblems(`${subject}.tolerations`, p.tolerations ?? [], [{ key: SPARK_ROLE_KEY, value: role, effect: "NoSchedule" }], `the ${role} pool`)));
    problems.push(...labelProblems(`${subject}.nodeSelector`, p.nodeSelector ?? {}));
    return problems;
}

/** A job's pod sizes, as its component resolved them. */
export interface JobPods {
    /** What the messages call the job, e.g. `SparkJob "etl"` or `the example job "spark-pi"`. */
    job: string;
    type: SparkJobType;
    driver: { cores: number; memory: string };
    executor: { cores: number; memory: string };
    sparkConf: Record<string, string>;
    /** The arguments that size each role, for the message's subject, e.g. "driverCores, driverMemory". */
    args: Record<SparkRoleName, string>;
    /** A fixed number of executors, whose nodes the job sizes to fill (components/pools/executorFit.ts); unset: the pool's sizes. */
    executorInstances?: number;
}

/** What a role's pod requests (SparkApplication coreRequest and the job's own Spark properties included); undefined when a value is not Spark's notation. */
function jobPodRequest(pods: JobPods, role: SparkRoleName) {
    const size = pods[role];
    return sparkPodRequest({
        role,
        cores: size.cores,
        memory: size.memory,
        jvm: pods.type === SparkJobType.Scala || pods.type === SparkJobType.Java,
        // The SparkApplication's executor.coreRequest (components/spark/job.ts).
        coreRequest: role === "executor" ? executorCoreRequest(size.cores) : undefined,
        sparkConf: pods.sparkConf,
    });
}

/** The affinity with every node selector term limited to nodes of at most `vcpus` vCPUs (Lt takes one integer). */
function withMaxVcpus(a: Affinity, vcpus: number): Affinity {
    const terms = a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.map((t) => ({
        matchExpressions: [...t.matchExpressions.filter((e) => e.key !== INSTANCE_CPU_LABEL), { key: INSTANCE_CPU_LABEL, operator: "Lt", values: [String(vcpus + 1)] }],
    }));
    return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } };
}

/** A job's executor placement, narrowed to the node size its executors fill, and what each executor then requests of CPU. */
export interface FittedExecutors {
    placement: SparkPodPlacement;
    /** For the SparkApplication's executor.coreRequest; unset: the platform's default (executorCoreRequest). */
    coreRequest?: string;
}

/**
 * The executor placement narrowed to the node size the job's executors fill (executorFit), in the
 * affinity the webhook applies and in the pod template, with the most CPU each executor may then
 * request. Unchanged without a fixed executor count, without pool facts to size by (a placement not
 * built by SpotExecutorPool, or by an older one), or when the job sets its own request.cores.
 */
export function fitExecutors(pods: JobPods, p: SparkPodPlacement): FittedExecutors {
    const request = jobPodRequest(pods, "executor");
    const c = p.capacity;
    const ownRequest = pods.sparkConf["spark.kubernetes.executor.request.cores"] !== undefined;
    if (pods.executorInstances === undefined || request === undefined || ownRequest || !c?.region || !c.requirements) {
        return { placement: p };
    }
    const fit = executorFit({ nodePoolName: c.nodePoolName, region: c.region, requirements: c.requirements, cpuLimit: c.cpuLimit }, { cpuMilli: request.cpuMilli, maxCpuMilli: pods.executor.cores * 1000, memoryMiB: request.memoryMiB }, pods.executorInstances);
    if (!fit) {
        return { placement: p };
    }
    const limit = fit.maxInstanceVcpus;
    if (limit === undefined) {
        return { placement: p, coreRequest: `${fit.cpuMilli}m` };
    }
    return {
        placement: {
            ...p,
            affinity: withMaxVcpus(p.affinity, limit),
            template: { ...p.template, spec: { ...p.template.spec, affinity: withMaxVcpus(p.template.spec.affinity, limit) } },
            // All executors in one allocation round (Spark 4.0 creates 10 a second:
            // https://spark.apache.org/docs/4.0.0/running-on-kubernetes.html#configuration), so that
            // Karpenter packs them in one pass, as the fit assumes, not two.
            sparkConf: { ...p.sparkConf, "spark.kubernetes.allocation.batch.size": String(pods.executorInstances) },
        },
        coreRequest: `${fit.cpuMilli}m`,
    };
}

/**
 * Each role's pod against the capacity its placement carries (SpotExecutorPool's, from the
 * instance catalog); a placement without one (not built by SpotExecutorPool) is not checked.
 */
export function podFitOfJob(pods: JobPods, placements: Partial<Record<SparkRoleName, SparkPodPlacement>>): Problem[] {
    const problems: Problem[] = [];
    for (const role of ["driver", "executor"] as const) {
        const capacity = placements[role]?.capacity;
        if (!capacity) {
            continue;
        }
        const request = jobPodRequest(pods, role);
        if (request === undefined) {
            const keys = Object.keys(pods.sparkConf).filter((k) => /request\.cores|memoryOverhead|minMemoryOverhead|pyspark\.memory/.test(k));
            problems.push({ subject: "sparkConf", value: Object.fromEntries(keys.map((k) => [k, pods.sparkConf[k]])), allowed: 'Spark memory sizes such as "512m" or "2g", a factor such as "0.2", and Kubernetes CPU quantities such as "500m" or "1.5"' });
            continue;
        }
        problems.push(...podFitProblems(`${pods.args[role]} (the ${role} pod)`, `the ${role} pod of ${pods.job}`, request, capacity));
    }
    return problems;
}

type Placements = Record<SparkRoleName, pulumi.Input<SparkPodPlacement>>;

/** Both components name the arguments driverPlacement and executorPlacement. */
function jobProblems(pods: JobPods, p: Record<SparkRoleName, SparkPodPlacement>): Problem[] {
    return [...placementProblems("driver", "driverPlacement", p.driver), ...placementProblems("executor", "executorPlacement", p.executor), ...podFitOfJob(pods, p)];
}

const allKnown = (p: Placements) => known(p.driver) && known(p.executor);

/** The placements and pod fit of a job, when both placements are known at construction (else none: see resolvedPlacements). */
export function jobPlacementProblems(pods: JobPods, placements: Placements): Problem[] {
    return allKnown(placements) ? jobProblems(pods, placements as Record<SparkRoleName, SparkPodPlacement>) : [];
}

/**
 * The placements once resolved, the executors' narrowed to the node size they fill. Those passed as
 * Outputs are checked here, as they resolve, by the same function as known ones at construction:
 * the Output fails with the component's error, so the resource that reads it fails `pulumi preview`
 * with the same message.
 */
export function resolvedPlacements(component: string, name: string, pods: JobPods, placements: Placements): pulumi.Output<Record<SparkRoleName, SparkPodPlacement> & { executorCoreRequest?: string }> {
    const checkNow = !allKnown(placements);
    return pulumi.all([placements.driver, placements.executor]).apply(([driver, executor]) => {
        const p = { driver: driver as SparkPodPlacement, executor: executor as SparkPodPlacement };
        if (checkNow) {
            throwIfProblems(component, name, jobProblems(pods, p));
        }
        const fitted = fitExecutors(pods, p.executor);
        return { driver: p.driver, executor: fitted.placement, ...(fitted.coreRequest ? { executorCoreRequest: fitted.coreRequest } : {}) };
    });
}
