import { Toleration } from "../karpenter/values";

// Helm values for the Kubeflow Spark Operator chart. Every key set here exists in the chart's
// values.yaml (tests/contract/chartValues.spec.ts checks it against the 2.5.2 fixture).

export const SPARK_OPERATOR_CHART = "spark-operator";
export const SPARK_OPERATOR_REPOSITORY = "https://kubeflow.github.io/spark-operator";
export const DEFAULT_SPARK_OPERATOR_VERSION = "2.5.2";
export const SPARK_OPERATOR_NAMESPACE = "spark-operator";
/** The release is named like the chart, as in the operator's docs (its resources are then `spark-operator-*`). */
export const SPARK_OPERATOR_RELEASE = "spark-operator";

export interface SparkOperatorValuesInput {
    jobNamespaces: string[];
    sparkServiceAccount: string;
    /** Two controller and webhook replicas, each with a PodDisruptionBudget. */
    highAvailability: boolean;
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
    /** SparkApplications meant to run at once. */
    maxConcurrentApplications: number;
    /** Serve the operator's Prometheus metrics. */
    metrics: boolean;
    /** Let the chart create the controller's PodMonitor (Prometheus Operator CRDs required). */
    podMonitor: boolean;
}

/**
 * Memory one in-flight submission takes in the controller pod: spark-submit is a JVM launched
 * per SparkApplication (the chart warns that Kubernetes kills these processes at the memory
 * limit: "failed to run spark-submit ... signal: killed"). Our estimate; the chart's own example
 * sizes the whole controller at 300Mi.
 */
export const SUBMISSION_MEMORY_MI = 300;
/** The Go controller itself and its informer caches (apps, pods). Our estimate. */
export const CONTROLLER_BASE_MEMORY_MI = 256;
/** Cache per tracked application (its object, driver and executor pods). Our estimate. */
export const PER_APPLICATION_MEMORY_MI = 4;

/**
 * Reconcile workers and memory for a number of concurrent SparkApplications. One worker handles
 * one application at a time (controller.workers: "higher values might increase memory usage"),
 * and a submission holds it for spark-submit's few seconds: a worker per four concurrent
 * applications (at least 2, at most 20) submits a burst of all of them in a few rounds, and
 * memory covers every worker submitting at once.
 */
export function controllerSizing(maxConcurrentApplications: number): { workers: number; memoryMi: number } {
    const workers = Math.min(20, Math.max(2, Math.ceil(maxConcurrentApplications / 4)));
    const raw = CONTROLLER_BASE_MEMORY_MI + workers * SUBMISSION_MEMORY_MI + maxConcurrentApplications * PER_APPLICATION_MEMORY_MI;
    return { workers, memoryMi: Math.ceil(raw / 128) * 128 };
}

export function sparkOperatorChartValues(i: SparkOperatorValuesInput): Record<string, unknown> {
    const placement = { nodeSelector: { ...i.nodeSelector }, tolerations: i.tolerations.map((t) => ({ ...t })) };
    const replicas = i.highAvailability ? 2 : 1;
    // Spread replicas over nodes so that one node's loss never takes the webhook down: with
    // failurePolicy Fail (the chart's default, kept) a dead webhook blocks every Spark pod.
    const spread = i.highAvailability
        ? [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule" }]
        : [];
    const pdb = { enable: i.highAvailability, minAvailable: 1 };
    const sizing = controllerSizing(i.maxConcurrentApplications);
    const memory = `${sizing.memoryMi}Mi`;
    return {
        // Helm never upgrades a chart's crds/ folder; this pre-upgrade hook applies the new CRDs.
        hook: { upgradeCrd: true, ...placement },
        controller: {
            replicas,
            ...placement,
            topologySpreadConstraints: spread,
            workers: sizing.workers,
            // Every submission runs spark-submit (a JVM) inside the controller pod; request what
            // the limit allows so a burst of submissions never meets an overcommitted node.
            resources: { requests: { cpu: "250m", memory }, limits: { memory } },
            podDisruptionBudget: pdb,
        },
        webhook: {
            enable: true,
            replicas,
            ...placement,
            topologySpreadConstraints: spread,
            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            podDisruptionBudget: pdb,
        },
        spark: {
            jobNamespaces: [...i.jobNamespaces],
            // The component creates the service accounts (each with an EKS Pod Identity role); the
            // chart only binds its job RBAC to that name.
            serviceAccount: { create: false, name: i.sparkServiceAccount },
            rbac: { create: true },
        },
        prometheus: {
            metrics: { enable: i.metrics },
            podMonitor: { create: i.podMonitor },
        },
    };
}
