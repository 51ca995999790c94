import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { resolveSparkOperatorArgs, SparkOperatorArgs } from "./spark/args";
import { createCleanupRelease } from "./spark/cleanup";
import { createDataAccess } from "./spark/dataAccess";
import { createEventLogBucket } from "./spark/eventLogBucket";
import { createExampleJob } from "./spark/exampleJob";
import { eventLogDirectory, historyServerPortForward } from "./spark/historyServer";
import { createHistoryServer } from "./spark/historyServerResources";
import { createDriverPodMonitor } from "./spark/monitoring";
import { createJobServiceAccounts, createNamespaces, createOperatorRelease } from "./spark/operatorResources";
import { SPARK_PI_NAME } from "./spark/sparkPi";
import { SPARK_OPERATOR_NAMESPACE } from "./spark/values";

export { DataAccessGrant, ResolvedSparkOperatorArgs, resolveSparkOperatorArgs, SparkOperatorArgs } from "./spark/args";

/** The commands that open a running job's Spark UI: the operator's UI service of the application, on localhost:4040. */
export function sparkUiCommands(namespace: string, application: string): string[] {
    return [`kubectl port-forward -n ${namespace} svc/${application}-ui-svc 4040:4040`];
}

/**
 * Spark on the cluster: the Kubeflow Spark Operator (on the system nodes), the job namespaces
 * and their service accounts with an EKS Pod Identity role that may write event logs, the
 * event-log bucket and the Spark History Server, and optionally the spark-pi example job.
 * Deploy it after SpotExecutorPool (`dependsOn: [pool]`) so that on destroy Spark's namespaces
 * and jobs go before the NodePools. On destroy a Helm pre-delete hook first deletes every
 * SparkApplication and ScheduledSparkApplication in the job namespaces (kubectl-created ones
 * too) while the operator still runs; then the operator goes.
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
    /** Commands that open the History Server's UI (and a job's Spark UI) on localhost. */
    public readonly uiAccessCommands: pulumi.Output<string[]>;
    /** The AWS region the event-log bucket and S3A conf are set for. */
    public readonly region: pulumi.Output<string>;

    constructor(name: string, args: SparkOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
        const a = resolveSparkOperatorArgs(name, args);
        super("karpenter-spark:index:SparkOperator", name, {}, opts);
        const parent = this;

        const region = aws.getRegionOutput({}, { parent }).region;
        const namespaces = createNamespaces(name, a, parent);
        const logs = createEventLogBucket(name, a, parent);
        const serviceAccounts = createJobServiceAccounts(name, a, namespaces.jobs, logs.bucket, parent);
        const dataAccounts = createDataAccess(name, a, namespaces.jobs, logs.bucket, parent);
        const release = createOperatorRelease(name, a, namespaces.operator, [...namespaces.jobs, ...serviceAccounts, ...dataAccounts], parent);
        // On destroy, before the operator and the job namespaces: its pre-delete hook deletes every
        // SparkApplication and ScheduledSparkApplication, users' included, while the operator runs.
        createCleanupRelease(name, a, { operator: release, operatorNamespace: namespaces.operator, jobNamespaces: namespaces.jobs }, parent);
        const historyServerService = createHistoryServer(name, a, namespaces.operator, logs.bucket, region, parent);
        if (a.example) {
            createExampleJob(name, a, a.example, logs.bucket, region, [release, serviceAccounts[0], logs.marker], parent);
        }
        if (a.podMonitors) {
            createDriverPodMonitor(name, a, [release], parent);
        }

        const ns = a.jobNamespaces[0];
        this.operatorNamespace = namespaces.operator.metadata.name;
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
                      ...sparkUiCommands(ns, SPARK_PI_NAME),
                      historyServerPortForward(SPARK_OPERATOR_NAMESPACE),
                  ]
                : [],
        );
        this.uiAccessCommands = pulumi.output([
            `${historyServerPortForward(SPARK_OPERATOR_NAMESPACE)}   # then open http://localhost:18080`,
            ...(a.historyServerIngress?.host ? [`open https://${a.historyServerIngress.host}/   # History Server through its Ingress`] : []),
            `kubectl port-forward -n <namespace> svc/<application>-ui-svc 4040:4040   # a running job's Spark UI`,
        ]);
        this.region = region;
        this.registerOutputs({
            operatorNamespace: this.operatorNamespace,
            jobNamespaces: this.jobNamespaces,
            serviceAccountName: this.serviceAccountName,
            eventLogBucketName: this.eventLogBucketName,
            eventLogDirectory: this.eventLogDirectory,
            historyServerServiceName: this.historyServerServiceName,
            exampleJobCommands: this.exampleJobCommands,
            uiAccessCommands: this.uiAccessCommands,
            region: this.region,
        });
    }
}
