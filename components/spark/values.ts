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
    return {
        // Helm never upgrades a chart's crds/ folder; this pre-upgrade hook applies the new CRDs.
        hook: { upgradeCrd: true, ...placement },
        controller: {
            replicas,
            ...placement,
            topologySpreadConstraints: spread,
            // Every submission runs spark-submit (a JVM) inside the controller pod.
            resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "1Gi" } },
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
    };
}
