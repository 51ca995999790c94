import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SparkPodPlacement } from "../pools/placement";
import { examplePods, ResolvedSparkOperatorArgs } from "./args";
import { resolvedPlacements } from "./placementCheck";
import { eventLogDirectory } from "./historyServer";
import { SPARK_PI_NAME, sparkPiManifest } from "./sparkPi";

type Example = NonNullable<ResolvedSparkOperatorArgs["example"]>;

/** The spark-pi example SparkApplication, after the operator and the namespace's service account. */
export function createExampleJob(
    name: string,
    a: ResolvedSparkOperatorArgs,
    ex: Example,
    bucket: aws.s3.Bucket,
    region: pulumi.Output<string>,
    dependsOn: pulumi.Resource[],
    parent: pulumi.Resource,
): k8s.apiextensions.CustomResource {
    const build = (bucketName: string, regionName: string, driverPlacement: SparkPodPlacement, executorPlacement: SparkPodPlacement, executorCoreRequest?: string) =>
        sparkPiManifest({
            namespace: a.jobNamespaces[0],
            serviceAccount: a.sparkServiceAccountName,
            image: a.sparkImage,
            executorInstances: ex.executorInstances,
            driverMemory: ex.driverMemory,
            executorMemory: ex.executorMemory,
            driverPlacement,
            executorPlacement,
            executorCoreRequest,
            eventLogDir: eventLogDirectory(bucketName),
            region: regionName,
            addS3AJars: !a.sparkImageHasS3A,
            s3aJarDigests: a.s3aJarDigests,
            metrics: a.metrics,
        });
    // The name and namespace are plain, so a preview shows which job is created; only the spec
    // waits for the bucket and the pools' placement.
    const metadata = { name: SPARK_PI_NAME, namespace: a.jobNamespaces[0] };
    // Placements passed as Outputs are checked as they resolve (components/spark/placementCheck.ts).
    const placements = resolvedPlacements("SparkOperator", name, examplePods(ex), { driver: ex.driverPlacement, executor: ex.executorPlacement });
    const spec = pulumi.all([bucket.bucket, region, placements]).apply(([b, r, p]) => build(b, r, p.driver, p.executor, p.executorCoreRequest).spec);
    // After the operator (whose webhook must place its pods, and which must outlive it on
    // destroy to clean up its pods) and the namespace's service account.
    return new k8s.apiextensions.CustomResource(
        `${name}-pi`,
        { apiVersion: "sparkoperator.k8s.io/v1beta2", kind: "SparkApplication", metadata, spec },
        { parent, dependsOn },
    );
}
