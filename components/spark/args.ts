import * as pulumi from "@pulumi/pulumi";
import { KARPENTER_NAMESPACE, SYSTEM_NODE_TAINT, systemNodeSelector, systemTolerations, Toleration } from "../karpenter/values";
import { SparkPodPlacement } from "../pools/placement";
import { DEFAULT_KUBERNETES_VERSION } from "../karpenter/versions";
import { ArgChecker, CONTAINER_IMAGE, DNS1123_LABEL, KUBERNETES_VERSION, requireArgsObject, SPARK_MEMORY } from "../validation";
import { labelProblems, namespaceProblems, tolerationMatchProblems, tolerationProblems } from "../validation/kubernetes";
import { physicalNameProblems, sparkOperatorNames } from "../validation/names";
import { tagProblems } from "../validation/tags";
import { chartVersionProblems, TESTED_SPARK_OPERATOR_VERSIONS } from "../validation/versions";
import { SparkJobType } from "./job";
import { JobPods, known, placementProblems, podFitOfJob } from "./placementCheck";
import { DataAccess } from "./s3a";
import { SPARK_PI_NAME } from "./sparkPi";

/** A DNS-1123 subdomain (IngressClass names, host names). */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** An S3 general purpose bucket name. */
export const S3_BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A key prefix: no leading or trailing slash, no IAM wildcards. */
export const S3_PREFIX = /^[^/*?\s][^*?\s]*[^/*?\s]$|^[^/*?\s]$/;
import { checkS3AJarDigests, DEFAULT_SPARK_IMAGE, S3AJarDigests } from "./image";
import { DEFAULT_SPARK_OPERATOR_VERSION, SPARK_OPERATOR_NAMESPACE } from "./values";

// SparkOperator's arguments, their defaults (all in resolveSparkOperatorArgs) and their checks.

export interface SparkOperatorArgs {
    /** Name of the EKS cluster, for the Pod Identity associations of the Spark and History Server service accounts. */
    clusterName: pulumi.Input<string>;
    /**
     * The cluster's Kubernetes minor (KarpenterCluster's kubernetesVersion output): picks the
     * kubectl image of the teardown cleanup, which deletes every SparkApplication before the operator goes.
     * @default "1.35"
     */
    kubernetesVersion?: pulumi.Input<string>;
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
     * @default "public.ecr.aws/docker/library/spark:4.0.4"
     */
    sparkImage?: string;
    /**
     * Whether sparkImage contains the S3A connector (hadoop-aws and the AWS SDK v2 bundle, e.g.
     * built from docker/spark-s3a/Dockerfile). The stock Spark images do not: then the History
     * Server and the example job's driver fetch the pinned jars from Maven Central at start-up (an
     * init container each; the example's executors read no S3 data and fetch none).
     * @default false
     */
    sparkImageHasS3A?: boolean;
    /**
     * Digests pinned for the S3A jars the init containers fetch (see S3AJarDigests).
     * @default hadoop-aws's SHA-1 pinned in the repository; the SDK bundle checked against Maven Central's .sha1
     */
    s3aJarDigests?: S3AJarDigests;
    /**
     * SparkApplications the stack is meant to run at once; sizes the operator controller's
     * workers and memory (each submission runs spark-submit, a JVM, inside the controller).
     * @default 20
     */
    maxConcurrentApplications?: number;
    /**
     * Expose Spark's Prometheus endpoints in the example job and the operator's metrics.
     * @default false
     */
    metrics?: boolean;
    /**
     * Create Prometheus Operator PodMonitors (operator, Spark drivers); implies metrics. Needs the
     * Prometheus Operator's CRDs in the cluster (monitoring.coreos.com); they cannot be detected
     * offline, so this is an explicit switch.
     * @default false
     */
    podMonitors?: boolean;
    /**
     * IngressClass of an Ingress for the History Server (e.g. "alb"). Setting it or
     * historyServerIngressHost creates the Ingress.
     * @default the cluster's default IngressClass; no Ingress unless one of the two is set
     */
    historyServerIngressClassName?: string;
    /**
     * Host name the History Server's Ingress answers to.
     * @default every host; no Ingress unless one of the two is set
     */
    historyServerIngressHost?: string;
    /**
     * Per-job access to the user's own buckets: each grant creates a service account in its
     * namespace, associated through EKS Pod Identity with a role that may use S3A on one prefix.
     * @default []
     */
    dataAccess?: DataAccessGrant[];
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
    /**
     * Accept a chartVersion this project has not been tested with (its tests cover 2.5.2).
     * @default false
     */
    allowUntestedVersions?: boolean;
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

/** One job service account's access to one bucket prefix. */
export interface DataAccessGrant {
    /** Name of the service account to create (a DNS-1123 label); jobs run as it with `serviceAccount`. */
    serviceAccountName: string;
    /** Job namespace the service account lives in (one of jobNamespaces). */
    namespace: string;
    /** Name of the S3 bucket. */
    bucket: string;
    /** Key prefix, without leading or trailing slash (e.g. "sales/2026"). */
    prefix: string;
    /** "read" or "read-write". */
    access: DataAccess;
}

export interface ResolvedSparkOperatorArgs {
    clusterName: pulumi.Input<string>;
    kubernetesVersion: pulumi.Input<string>;
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
    s3aJarDigests: S3AJarDigests;
    maxConcurrentApplications: number;
    metrics: boolean;
    podMonitors: boolean;
    historyServerIngress?: { className?: string; host?: string };
    dataAccess: DataAccessGrant[];
    example?: {
        executorInstances: number;
        driverMemory: string;
        executorMemory: string;
        driverPlacement: pulumi.Input<SparkPodPlacement>;
        executorPlacement: pulumi.Input<SparkPodPlacement>;
    };
    tags: Record<string, string>;
}

/** A grant's checks: the namespace must be a job namespace, the bucket name and prefix well-formed. */
function checkGrant(check: ArgChecker, arg: string, g: DataAccessGrant, jobNamespaces: string[]): DataAccessGrant {
    check.string(`${arg}.serviceAccountName`, g?.serviceAccountName, DNS1123_LABEL, "a DNS-1123 label");
    check.oneOf(`${arg}.namespace`, g.namespace, Object.fromEntries(jobNamespaces.map((n) => [n, n])));
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
    check.string(`${arg}.bucket`, g.bucket, S3_BUCKET_NAME, "an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit");
    check.string(`${arg}.prefix`, g.prefix, S3_PREFIX, 'a key prefix without leading or trailing "/" and without wildcards, e.g. "sales/2026"');
    check.oneOf(`${arg}.access`, g.access, DataAccess);
    return { ...g };
}

const MEMORY_ALLOWED = 'a JVM memory size as Spark writes it: digits and k, m, g or t, such as "512m" or "4g" (not Kubernetes\' "512Mi")';

/** The example job's pods as the pod-fit check sees them (components/spark/sparkPi.ts builds it: one core each, Scala). */
export function examplePods(ex: { driverMemory: string; executorMemory: string; executorInstances: number }): JobPods {
    return {
        job: `the example job "${SPARK_PI_NAME}"`,
        type: SparkJobType.Scala,
        driver: { cores: 1, memory: ex.driverMemory },
        executor: { cores: 1, memory: ex.executorMemory },
        sparkConf: {},
        args: { driver: "exampleDriverMemory", executor: "exampleExecutorMemory" },
        executorInstances: ex.executorInstances,
    };
}

/** Applies the defaults (all in this one place) and validates; throws before anything is registered. */
export function resolveSparkOperatorArgs(name: string, args: SparkOperatorArgs): ResolvedSparkOperatorArgs {
    requireArgsObject("SparkOperator", name, args, "clusterName (KarpenterCluster's output)");
    const check: ArgChecker = new ArgChecker("SparkOperator", name);
    const problems = check.problems;
    if (args.clusterName === undefined || args.clusterName === "") {
        check.fail("clusterName", args.clusterName, "the EKS cluster's name (KarpenterCluster's clusterName output)");
    }
    if (known(args.kubernetesVersion)) {
        check.string("kubernetesVersion", args.kubernetesVersion, KUBERNETES_VERSION, 'a Kubernetes minor such as "1.35" (KarpenterCluster\'s kubernetesVersion output)');
    }
    const jobNamespaces = args.jobNamespaces ?? ["spark-jobs"];
    if (!Array.isArray(jobNamespaces) || jobNamespaces.length === 0) {
        check.fail("jobNamespaces", jobNamespaces, "a non-empty list of namespace names");
    }
    check.listMatching("jobNamespaces", jobNamespaces, DNS1123_LABEL, "distinct DNS-1123 labels (lowercase letters, digits and hyphens, at most 63)");
    if (Array.isArray(jobNamespaces) && jobNamespaces.includes(SPARK_OPERATOR_NAMESPACE)) {
        check.fail("jobNamespaces", jobNamespaces, `namespaces other than "${SPARK_OPERATOR_NAMESPACE}", which the operator itself runs in`);
    }
    problems.addAll(namespaceProblems("jobNamespaces", jobNamespaces, [KARPENTER_NAMESPACE]));
    const allowUntestedVersions = check.boolean("allowUntestedVersions", args.allowUntestedVersions ?? false);
    const chartVersion = args.chartVersion ?? DEFAULT_SPARK_OPERATOR_VERSION;
    problems.addAll(chartVersionProblems("chartVersion", chartVersion, TESTED_SPARK_OPERATOR_VERSIONS, allowUntestedVersions, "allowUntestedVersions"));
    if (known(args.systemTolerations)) {
        const found = tolerationProblems("systemTolerations", args.systemTolerations);
        problems.addAll(found.length > 0 ? found : tolerationMatchProblems("systemTolerations", args.systemTolerations as Toleration[], [SYSTEM_NODE_TAINT], "the system nodes"));
    }
    if (known(args.systemNodeSelector)) {
        problems.addAll(labelProblems("systemNodeSelector", args.systemNodeSelector));
    }
    for (const role of ["driver", "executor"] as const) {
        const placement = role === "driver" ? args.driverPlacement : args.executorPlacement;
        if (known(placement)) {
            problems.addAll(placementProblems(role, `${role}Placement`, placement as SparkPodPlacement));
        }
    }
    problems.addAll(tagProblems("tags", args.tags, [], false));
    problems.addAll(physicalNameProblems(sparkOperatorNames(name), name));
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
            driverPlacement: driverPlacement ?? {},
            executorPlacement: executorPlacement ?? {},
        } as NonNullable<ResolvedSparkOperatorArgs["example"]>;
        if (known(driverPlacement) && known(executorPlacement) && check.problems.list.length === 0) {
            // Only the pod fit: each placement's own checks ran above.
            problems.addAll(podFitOfJob(examplePods(example), { driver: driverPlacement, executor: executorPlacement } as Record<string, SparkPodPlacement>));
        }
    }
    const podMonitors = check.boolean("podMonitors", args.podMonitors ?? false);
    // PodMonitors scrape the metrics endpoints, so they turn them on.
    const metrics = check.boolean("metrics", args.metrics ?? false) || podMonitors;
    let ingress: ResolvedSparkOperatorArgs["historyServerIngress"];
    if (args.historyServerIngressClassName !== undefined || args.historyServerIngressHost !== undefined) {
        const { historyServerIngressClassName: className, historyServerIngressHost: host } = args;
        ingress = {
            className: className === undefined ? undefined : check.string("historyServerIngressClassName", className, DNS1123_SUBDOMAIN, "an IngressClass name such as \"alb\" or \"nginx\""),
            host: host === undefined ? undefined : check.string("historyServerIngressHost", host, DNS1123_SUBDOMAIN, "a DNS host name such as \"spark-history.example.com\""),
        };
    }
    const dataAccess = (args.dataAccess ?? []).map((g, i) => checkGrant(check, `dataAccess[${i}]`, g, jobNamespaces));
    const accounts = dataAccess.map((g) => `${g.namespace}/${g.serviceAccountName}`);
    const duplicate = accounts.find((x, i) => accounts.indexOf(x) !== i);
    if (duplicate !== undefined || dataAccess.some((g) => g.serviceAccountName === (args.sparkServiceAccountName ?? "spark"))) {
        check.fail("dataAccess", duplicate ?? accounts, "one grant per service account, none named like sparkServiceAccountName (a Pod Identity association binds one role to one service account)");
    }
    const resolved: ResolvedSparkOperatorArgs = {
        clusterName: args.clusterName,
        kubernetesVersion: args.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
        chartVersion: String(chartVersion),
        jobNamespaces,
        sparkServiceAccountName: check.string("sparkServiceAccountName", args.sparkServiceAccountName ?? "spark", DNS1123_LABEL, "a DNS-1123 label"),
        highAvailability: check.boolean("highAvailability", args.highAvailability ?? true),
        systemNodeSelector: args.systemNodeSelector ?? systemNodeSelector(),
        systemTolerations: args.systemTolerations ?? systemTolerations(),
        eventLogRetentionDays: check.integer("eventLogRetentionDays", args.eventLogRetentionDays ?? 30, 1, 3650),
        protectEventLogs: check.boolean("protectEventLogs", args.protectEventLogs ?? true),
        sparkImage: check.string("sparkImage", args.sparkImage ?? DEFAULT_SPARK_IMAGE, CONTAINER_IMAGE, `a container image reference such as "${DEFAULT_SPARK_IMAGE}"`),
        sparkImageHasS3A: check.boolean("sparkImageHasS3A", args.sparkImageHasS3A ?? false),
        s3aJarDigests: checkS3AJarDigests(check, "s3aJarDigests", args.s3aJarDigests),
        maxConcurrentApplications: check.integer("maxConcurrentApplications", args.maxConcurrentApplications ?? 20, 1, 1000),
        metrics,
        podMonitors,
        historyServerIngress: ingress,
        dataAccess,
        example,
        tags: args.tags ?? {},
    };
    check.done();
    return resolved;
}
