import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IamPolicyDocument, podIdentityTrustPolicy } from "./iamTypes";
import { systemNodeSelector, systemTolerations, Toleration } from "./karpenter/values";
import { SparkPodPlacement } from "./pools/placement";
import {
    bucketTlsOnlyPolicy,
    eventLogDirectory,
    eventLogReaderPolicy,
    eventLogWriterPolicy,
    HISTORY_SERVER_NAME,
    historyServerDeployment,
    historyServerService,
} from "./spark/historyServer";
import { DEFAULT_SPARK_IMAGE, SPARK_PI_NAME, sparkPiManifest } from "./spark/sparkPi";
import {
    DEFAULT_SPARK_OPERATOR_VERSION,
    SPARK_OPERATOR_CHART,
    SPARK_OPERATOR_NAMESPACE,
    SPARK_OPERATOR_RELEASE,
    SPARK_OPERATOR_REPOSITORY,
    sparkOperatorChartValues,
} from "./spark/values";
import { ArgChecker, CONTAINER_IMAGE, DNS1123_LABEL, SEMVER, SPARK_MEMORY } from "./validation";

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

/**
 * Spark on the cluster: the Kubeflow Spark Operator (on the system nodes), the job namespaces
 * and their service accounts with an EKS Pod Identity role that may write event logs, the
 * event-log bucket and the Spark History Server, and optionally the spark-pi example job.
 * Deploy it after SpotExecutorPool (`dependsOn: [pool]`) so that on destroy Spark's namespaces
 * and jobs go before the NodePools.
 */
export class SparkOperator extends pulumi.ComponentResource {
    /** Namespace the operator runs in. */
    public readonly operatorNamespace: pulumi.Output<string>;
    /** Namespaces Spark jobs run in. */
    public readonly jobNamespaces: pulumi.Output<string[]>;
    /** Service account Spark drivers and executors run as in each job namespace. */
    public readonly serviceAccountName: pulumi.Output<string>;
    /** Name of the S3 bucket holding Spark event logs. */
    public readonly eventLogBucketName: pulumi.Output<string>;
    /** The s3a:// URI for spark.eventLog.dir. */
    public readonly eventLogDirectory: pulumi.Output<string>;
    /** Name of the Spark History Server's Service (port 18080) in the operator namespace. */
    public readonly historyServerServiceName: pulumi.Output<string>;
    /** Commands to follow the example job. */
    public readonly exampleJobCommands: pulumi.Output<string[]>;

    constructor(name: string, args: SparkOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
        const a = resolveSparkOperatorArgs(name, args);
        super("karpenter-spark:index:SparkOperator", name, {}, opts);
        const parent = this;

        const operatorNamespace = new k8s.core.v1.Namespace(`${name}-operator-ns`, { metadata: { name: SPARK_OPERATOR_NAMESPACE } }, { parent });
        const jobNamespaces = a.jobNamespaces.map((ns) => new k8s.core.v1.Namespace(`${name}-ns-${ns}`, { metadata: { name: ns } }, { parent }));

        const logs = createEventLogBucket(name, a, parent);
        const writerRole = podIdentityRole(`${name}-event-log-writer`, "Spark jobs: write event logs", logs.bucket.arn.apply(eventLogWriterPolicy), a.tags, parent);
        const serviceAccounts = jobNamespaces.map((ns, i) => {
            const sa = new k8s.core.v1.ServiceAccount(
                `${name}-sa-${a.jobNamespaces[i]}`,
                { metadata: { name: a.sparkServiceAccountName, namespace: ns.metadata.name } },
                { parent },
            );
            new aws.eks.PodIdentityAssociation(
                `${name}-pod-identity-${a.jobNamespaces[i]}`,
                { clusterName: a.clusterName, namespace: ns.metadata.name, serviceAccount: a.sparkServiceAccountName, roleArn: writerRole.arn, tags: a.tags },
                { parent },
            );
            return sa;
        });

        const release = new k8s.helm.v3.Release(
            `${name}-operator`,
            {
                name: SPARK_OPERATOR_RELEASE,
                chart: SPARK_OPERATOR_CHART,
                repositoryOpts: { repo: SPARK_OPERATOR_REPOSITORY },
                version: a.chartVersion,
                namespace: operatorNamespace.metadata.name,
                values: pulumi.all([a.systemNodeSelector, a.systemTolerations]).apply(([nodeSelector, tolerations]) =>
                    sparkOperatorChartValues({
                        jobNamespaces: a.jobNamespaces,
                        sparkServiceAccount: a.sparkServiceAccountName,
                        highAvailability: a.highAvailability,
                        nodeSelector,
                        tolerations,
                    }),
                ),
                waitForJobs: true,
                timeout: 600,
            },
            // The chart creates RBAC in every job namespace, so they must exist first.
            { parent, dependsOn: [operatorNamespace, ...jobNamespaces, ...serviceAccounts] },
        );

        const historyServerService = createHistoryServer(name, a, operatorNamespace, logs.bucket, parent);

        if (a.example) {
            const ex = a.example;
            const manifest = pulumi.all([logs.bucket.bucket, ex.driverPlacement, ex.executorPlacement]).apply(([bucketName, driverPlacement, executorPlacement]) =>
                sparkPiManifest({
                    namespace: a.jobNamespaces[0],
                    serviceAccount: a.sparkServiceAccountName,
                    image: a.sparkImage,
                    executorInstances: ex.executorInstances,
                    driverMemory: ex.driverMemory,
                    executorMemory: ex.executorMemory,
                    driverPlacement,
                    executorPlacement,
                    eventLogDir: a.sparkImageHasS3A ? eventLogDirectory(bucketName) : undefined,
                }),
            );
            // After the operator (whose webhook must place its pods, and which must outlive it on
            // destroy to clean up its pods) and the namespace's service account.
            new k8s.apiextensions.CustomResource(
                `${name}-pi`,
                { apiVersion: "sparkoperator.k8s.io/v1beta2", kind: "SparkApplication", metadata: manifest.metadata, spec: manifest.spec },
                { parent, dependsOn: [release, serviceAccounts[0]] },
            );
        }

        const ns = a.jobNamespaces[0];
        this.operatorNamespace = operatorNamespace.metadata.name;
        this.jobNamespaces = pulumi.output(a.jobNamespaces);
        this.serviceAccountName = pulumi.output(a.sparkServiceAccountName);
        this.eventLogBucketName = logs.bucket.bucket;
        this.eventLogDirectory = logs.bucket.bucket.apply(eventLogDirectory);
        this.historyServerServiceName = historyServerService.metadata.name;
        this.exampleJobCommands = pulumi.output(
            a.example
                ? [
                      `kubectl get sparkapplications -n ${ns} ${SPARK_PI_NAME} -w`,
                      `kubectl get pods -n ${ns} -l spark-app-name=${SPARK_PI_NAME} -L spark-role -o wide`,
                      "kubectl get nodeclaims -L karpenter.sh/capacity-type,karpenter.sh/nodepool",
                      `kubectl logs -n ${ns} ${SPARK_PI_NAME}-driver | grep "Pi is roughly"`,
                      `kubectl port-forward -n ${SPARK_OPERATOR_NAMESPACE} svc/${HISTORY_SERVER_NAME} 18080:18080`,
                  ]
                : [],
        );
        this.registerOutputs({
            operatorNamespace: this.operatorNamespace,
            jobNamespaces: this.jobNamespaces,
            serviceAccountName: this.serviceAccountName,
            eventLogBucketName: this.eventLogBucketName,
            eventLogDirectory: this.eventLogDirectory,
            historyServerServiceName: this.historyServerServiceName,
            exampleJobCommands: this.exampleJobCommands,
        });
    }
}

/** An IAM role for pods, trusted by EKS Pod Identity, with one inline policy. */
function podIdentityRole(
    name: string,
    purpose: string,
    policy: pulumi.Output<IamPolicyDocument>,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): aws.iam.Role {
    const role = new aws.iam.Role(name, { description: purpose, assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy()), tags }, { parent });
    new aws.iam.RolePolicy(`${name}-policy`, { role: role.name, policy: policy.apply((p) => JSON.stringify(p)) }, { parent });
    return role;
}

function createEventLogBucket(name: string, a: ResolvedSparkOperatorArgs, parent: pulumi.Resource) {
    const bucket = new aws.s3.Bucket(
        `${name}-event-logs`,
        { forceDestroy: !a.protectEventLogs, tags: a.tags },
        { parent, protect: a.protectEventLogs, retainOnDelete: a.protectEventLogs },
    );
    const bucketOpts = { parent };
    new aws.s3.BucketPublicAccessBlock(
        `${name}-event-logs-public-access`,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        bucketOpts,
    );
    new aws.s3.BucketOwnershipControls(`${name}-event-logs-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, bucketOpts);
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-event-logs-encryption`,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] },
        bucketOpts,
    );
    const versioning = new aws.s3.BucketVersioning(`${name}-event-logs-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, bucketOpts);
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-event-logs-lifecycle`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-event-logs",
                    status: "Enabled",
                    filter: { prefix: "" },
                    expiration: { days: a.eventLogRetentionDays },
                    noncurrentVersionExpiration: { noncurrentDays: 1 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
        },
        { parent, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(`${name}-event-logs-tls-only`, { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(bucketTlsOnlyPolicy(arn))) }, bucketOpts);
    return { bucket };
}

function createHistoryServer(
    name: string,
    a: ResolvedSparkOperatorArgs,
    namespace: k8s.core.v1.Namespace,
    bucket: aws.s3.Bucket,
    parent: pulumi.Resource,
): k8s.core.v1.Service {
    const serviceAccount = new k8s.core.v1.ServiceAccount(
        `${name}-history-server-sa`,
        { metadata: { name: HISTORY_SERVER_NAME, namespace: namespace.metadata.name } },
        { parent },
    );
    const readerRole = podIdentityRole(`${name}-history-reader`, "Spark History Server: read event logs", bucket.arn.apply(eventLogReaderPolicy), a.tags, parent);
    const association = new aws.eks.PodIdentityAssociation(
        `${name}-pod-identity-history-server`,
        { clusterName: a.clusterName, namespace: namespace.metadata.name, serviceAccount: HISTORY_SERVER_NAME, roleArn: readerRole.arn, tags: a.tags },
        { parent },
    );
    const deployment = pulumi.all([bucket.bucket, a.systemNodeSelector, a.systemTolerations]).apply(([bucketName, nodeSelector, tolerations]) =>
        historyServerDeployment({
            namespace: SPARK_OPERATOR_NAMESPACE,
            serviceAccount: HISTORY_SERVER_NAME,
            image: a.sparkImage,
            bucketName,
            replicas: a.sparkImageHasS3A ? 1 : 0,
            nodeSelector,
            tolerations,
        }),
    );
    new k8s.apps.v1.Deployment(`${name}-history-server`, { metadata: deployment.metadata, spec: deployment.spec }, { parent, dependsOn: [serviceAccount, association] });
    const service = historyServerService(SPARK_OPERATOR_NAMESPACE);
    return new k8s.core.v1.Service(`${name}-history-server`, { metadata: service.metadata, spec: service.spec }, { parent, dependsOn: [namespace] });
}
