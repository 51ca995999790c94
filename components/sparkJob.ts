import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { scheduledSparkApplicationManifest, sparkApplicationManifest, SparkJobManifestInput } from "./spark/job";
import { jobPods, ResolvedSparkJobArgs, resolveSparkJobArgs, SparkJobArgs } from "./spark/jobArgs";
import { resolvedPlacements } from "./spark/placementCheck";

export { SparkJobArgs } from "./spark/jobArgs";

/** The builder's input, once the placements, event-log directory and region are known. */
function manifestInput(a: ResolvedSparkJobArgs, v: { driver: any; executor: any; executorCoreRequest?: string; eventLogDirectory?: string; region: string }): SparkJobManifestInput {
    return {
        name: a.applicationName,
        namespace: a.namespace,
        serviceAccount: a.serviceAccountName,
        image: a.image,
        type: a.type,
        mainApplicationFile: a.mainApplicationFile,
        mainClass: a.mainClass,
        arguments: a.arguments,
        driver: a.driver,
        executor: a.executor,
        driverPlacement: v.driver,
        executorPlacement: v.executor,
        executorCoreRequest: v.executorCoreRequest,
        eventLogDirectory: v.eventLogDirectory,
        region: v.region,
        addS3AJars: !a.imageHasS3A,
        s3aOnExecutors: a.s3aOnExecutors,
        s3aJarDigests: a.s3aJarDigests,
        dynamicAllocation: a.dynamicAllocation,
        metrics: a.metrics,
        sparkConf: a.sparkConf,
        labels: {},
    };
}

/**
 * A Spark job on the platform: a SparkApplication, or with `schedule` a ScheduledSparkApplication,
 * with the pools' placement, S3A, event logs, metrics and dynamic allocation merged in. Create it
 * with the cluster's Kubernetes provider and `dependsOn: [sparkOperator]`, so the operator's
 * webhook exists before it and outlives it on destroy.
 */
export class SparkJob extends pulumi.ComponentResource {
    /** Kind created: SparkApplication or ScheduledSparkApplication. */
    public readonly kind: pulumi.Output<string>;
    /** Kubernetes name of the application. */
    public readonly applicationName: pulumi.Output<string>;
    /** Commands to follow the job and open its Spark UI. */
    public readonly commands: pulumi.Output<string[]>;

    constructor(name: string, args: SparkJobArgs, opts?: pulumi.ComponentResourceOptions) {
        const a = resolveSparkJobArgs(name, args);
        super("karpenter-spark:index:SparkJob", name, {}, opts);
        const kind = a.schedule ? "ScheduledSparkApplication" : "SparkApplication";
        const placements = resolvedPlacements("SparkJob", name, jobPods(name, a), { driver: a.driverPlacement, executor: a.executorPlacement });
        const values = pulumi.all([placements, a.eventLogDirectory, a.region]).apply(([p, eventLogDirectory, region]) =>
            manifestInput(a, { driver: p.driver, executor: p.executor, executorCoreRequest: p.executorCoreRequest, eventLogDirectory, region }),
        );
        const spec = values.apply((v) => (a.schedule ? scheduledSparkApplicationManifest(v, a.schedule).spec : sparkApplicationManifest(v).spec));
        new k8s.apiextensions.CustomResource(
            name,
            { apiVersion: "sparkoperator.k8s.io/v1beta2", kind, metadata: { name: a.applicationName, namespace: a.namespace }, spec },
            { parent: this },
        );
        const ns = a.namespace;
        this.kind = pulumi.output(kind);
        this.applicationName = pulumi.output(a.applicationName);
        this.commands = pulumi.output([
            a.schedule ? `kubectl get scheduledsparkapplications,sparkapplications -n ${ns}` : `kubectl get sparkapplication -n ${ns} ${a.applicationName} -w`,
            `kubectl logs -n ${ns} -l spark-role=driver,sparkoperator.k8s.io/app-name=${a.applicationName} -f`,
            `kubectl port-forward -n ${ns} svc/${a.applicationName}-ui-svc 4040:4040   # Spark UI while it runs${a.schedule ? " (a run is named <name>-<timestamp>)" : ""}`,
        ]);
        this.registerOutputs({ kind: this.kind, applicationName: this.applicationName, commands: this.commands });
    }
}
