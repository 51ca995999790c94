import * as pulumi from "@pulumi/pulumi";
import { systemNodeSelector, systemTolerations, Toleration } from "../karpenter/values";
import { SparkPodPlacement } from "../pools/placement";
import { ArgChecker, CONTAINER_IMAGE, DNS1123_LABEL, SEMVER, SPARK_MEMORY } from "../validation";
import { DEFAULT_SPARK_IMAGE } from "./sparkPi";
import { DEFAULT_SPARK_OPERATOR_VERSION, SPARK_OPERATOR_NAMESPACE } from "./values";

// SparkOperator's arguments, their defaults (all in resolveSparkOperatorArgs) and their checks.

export interface SparkOperatorArgs {
    /** Name of the EKS cluster, for the Pod Identity associations of the Spark and History Server service accounts. */
    clusterName: pulumi.Input<string>;
    /**
     * Version of the Kubeflow spark-operator chart (https://kubeflow.github.io/spark-operator).
     * @default "2.5.2"
     */
    chartVersion?: string;
    /**
     * Namespaces Spark jobs run in. Created before the operator, which watches only these.
     * @default ["spark-jobs"]
     */
    jobNamespaces?: string[];
    /**
     * Name of the service account Spark drivers and executors run as in every job namespace.
     * @default "spark"
     */
    sparkServiceAccountName?: string;
    /**
     * Two controller and two webhook replicas on different nodes, each with a PodDisruptionBudget.
     * On by default: with the webhook's failurePolicy Fail, one lost webhook pod blocks every
     * Spark pod in the cluster.
     * @default true
     */
    highAvailability?: boolean;
    /**
     * Node selector that keeps the operator and the History Server on On-Demand system nodes.
     * @default KarpenterCluster's system node selector
     */
    systemNodeSelector?: pulumi.Input<Record<string, string>>;
    /**
     * Tolerations that admit the operator and the History Server to the system nodes.
     * @default KarpenterCluster's system node tolerations
     */
    systemTolerations?: pulumi.Input<Toleration[]>;
    /**
     * Days after which event logs are deleted from the bucket (older versions a day later).
     * @default 30
     */
    eventLogRetentionDays?: number;
    /**
     * Protect the event-log bucket from deletion by Pulumi (`protect`), and keep its objects
     * when it is destroyed. On by default: job history is an audit trail; dev stacks turn it off.
     * @default true
     */
    protectEventLogs?: boolean;
    /**
     * Spark image of the example job and the History Server.
     * @default "docker.io/apache/spark:4.0.4"
     */
    sparkImage?: string;
    /**
     * Whether sparkImage contains the S3A connector (hadoop-aws and the AWS SDK bundle). The
     * stock apache/spark images do not: then the History Server is deployed scaled to zero and
     * the example job writes no event logs.
     * @default false
     */
    sparkImageHasS3A?: boolean;
    /**
     * Deploy the example spark-pi job (20 executors on Spot, driver On-Demand).
     * @default false
     */
    deployExample?: boolean;
    /**
     * Executors of the example job.
     * @default 20
     */
    exampleExecutorInstances?: number;
    /**
     * Driver memory of the example job, in Spark's notation (512m, 2g).
     * @default "512m"
     */
    exampleDriverMemory?: string;
    /**
     * Executor memory of the example job, in Spark's notation (512m, 2g).
     * @default "512m"
     */
    exampleExecutorMemory?: string;
    /** Driver placement for the example job: SpotExecutorPool's driverPlacement. Required with deployExample. */
    driverPlacement?: pulumi.Input<SparkPodPlacement>;
    /** Executor placement for the example job: SpotExecutorPool's executorPlacement. Required with deployExample. */
    executorPlacement?: pulumi.Input<SparkPodPlacement>;
    /**
     * Tags for the AWS resources the component creates.
     * @default {}
     */
    tags?: Record<string, string>;
}

export interface ResolvedSparkOperatorArgs {
    clusterName: pulumi.Input<string>;
    chartVersion: string;
    jobNamespaces: string[];
    sparkServiceAccountName: string;
    highAvailability: boolean;
    systemNodeSelector: pulumi.Input<Record<string, string>>;
    systemTolerations: pulumi.Input<Toleration[]>;
    eventLogRetentionDays: number;
    protectEventLogs: boolean;
    sparkImage: string;
    sparkImageHasS3A: boolean;
    example?: {
        executorInstances: number;
        driverMemory: string;
        executorMemory: string;
        driverPlacement: pulumi.Input<SparkPodPlacement>;
        executorPlacement: pulumi.Input<SparkPodPlacement>;
    };
    tags: Record<string, string>;
}

const MEMORY_ALLOWED = 'a JVM memory size as Spark writes it: digits and k, m, g or t, such as "512m" or "4g" (not Kubernetes\' "512Mi")';

/** Applies the defaults (all in this one place) and validates; throws before anything is registered. */
export function resolveSparkOperatorArgs(name: string, args: SparkOperatorArgs): ResolvedSparkOperatorArgs {
    const check: ArgChecker = new ArgChecker("SparkOperator", name);
    if (args.clusterName === undefined || args.clusterName === "") {
        check.fail("clusterName", args.clusterName, "the EKS cluster's name (KarpenterCluster's clusterName output)");
    }
    const jobNamespaces = args.jobNamespaces ?? ["spark-jobs"];
    if (!Array.isArray(jobNamespaces) || jobNamespaces.length === 0) {
        check.fail("jobNamespaces", jobNamespaces, "a non-empty list of namespace names");
    }
    check.listMatching("jobNamespaces", jobNamespaces, DNS1123_LABEL, "distinct DNS-1123 labels (lowercase letters, digits and hyphens, at most 63)");
    if (jobNamespaces.includes(SPARK_OPERATOR_NAMESPACE)) {
        check.fail("jobNamespaces", jobNamespaces, `namespaces other than "${SPARK_OPERATOR_NAMESPACE}", which the operator itself runs in`);
    }
    const deployExample = check.boolean("deployExample", args.deployExample ?? false);
    let example: ResolvedSparkOperatorArgs["example"];
    if (deployExample) {
        const { driverPlacement, executorPlacement } = args;
        if (!driverPlacement || !executorPlacement) {
            check.fail("driverPlacement", driverPlacement, "SpotExecutorPool's driverPlacement and executorPlacement, which deployExample needs");
        }
        example = {
            executorInstances: check.integer("exampleExecutorInstances", args.exampleExecutorInstances ?? 20, 1, 10000),
            driverMemory: check.string("exampleDriverMemory", args.exampleDriverMemory ?? "512m", SPARK_MEMORY, MEMORY_ALLOWED),
            executorMemory: check.string("exampleExecutorMemory", args.exampleExecutorMemory ?? "512m", SPARK_MEMORY, MEMORY_ALLOWED),
            driverPlacement,
            executorPlacement,
        };
    }
    return {
        clusterName: args.clusterName,
        chartVersion: check.string("chartVersion", args.chartVersion ?? DEFAULT_SPARK_OPERATOR_VERSION, SEMVER, 'a chart version such as "2.5.2"'),
        jobNamespaces,
        sparkServiceAccountName: check.string("sparkServiceAccountName", args.sparkServiceAccountName ?? "spark", DNS1123_LABEL, "a DNS-1123 label"),
        highAvailability: check.boolean("highAvailability", args.highAvailability ?? true),
        systemNodeSelector: args.systemNodeSelector ?? systemNodeSelector(),
        systemTolerations: args.systemTolerations ?? systemTolerations(),
        eventLogRetentionDays: check.integer("eventLogRetentionDays", args.eventLogRetentionDays ?? 30, 1, 3650),
        protectEventLogs: check.boolean("protectEventLogs", args.protectEventLogs ?? true),
        sparkImage: check.string("sparkImage", args.sparkImage ?? DEFAULT_SPARK_IMAGE, CONTAINER_IMAGE, 'a container image reference such as "docker.io/apache/spark:4.0.4"'),
        sparkImageHasS3A: check.boolean("sparkImageHasS3A", args.sparkImageHasS3A ?? false),
        example,
        tags: args.tags ?? {},
    };
}
