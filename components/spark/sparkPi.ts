import { SparkPodPlacement } from "../pools/placement";
import { DEFAULT_SPARK_IMAGE, S3AJarDigests, SPARK_VERSION } from "./image";
import { sparkApplicationManifest, SparkJobType } from "./job";

// The seed's test job: the Spark Operator's own examples/spark-pi.yaml (operator 2.5.2, Spark
// 4.0.4) built with the job helper: 20 executors, drivers on On-Demand and executors on Spot,
// event logs to the bucket. tests/contract/sparkOperator.spec.ts diffs it against the upstream file.

export { DEFAULT_SPARK_IMAGE, SPARK_VERSION };
export const SPARK_PI_NAME = "spark-pi";

export interface SparkPiInput {
    namespace: string;
    serviceAccount: string;
    image: string;
    executorInstances: number;
    driverMemory: string;
    executorMemory: string;
    driverPlacement: SparkPodPlacement;
    executorPlacement: SparkPodPlacement;
    executorCoreRequest?: string;
    eventLogDir: string;
    region: string;
    addS3AJars: boolean;
    s3aJarDigests?: S3AJarDigests;
    metrics: boolean;
}

export function sparkPiManifest(i: SparkPiInput) {
    return sparkApplicationManifest({
        name: SPARK_PI_NAME,
        namespace: i.namespace,
        serviceAccount: i.serviceAccount,
        image: i.image,
        type: SparkJobType.Scala,
        mainClass: "org.apache.spark.examples.SparkPi",
        mainApplicationFile: "local:///opt/spark/examples/jars/spark-examples.jar",
        arguments: ["5000"],
        driver: { cores: 1, memory: i.driverMemory },
        executor: { instances: i.executorInstances, cores: 1, memory: i.executorMemory },
        driverPlacement: i.driverPlacement,
        executorPlacement: i.executorPlacement,
        executorCoreRequest: i.executorCoreRequest,
        eventLogDirectory: i.eventLogDir,
        region: i.region,
        addS3AJars: i.addS3AJars,
        // SparkPi reads and writes no data: only the driver, which writes the event log
        // (https://spark.apache.org/docs/latest/monitoring.html), needs S3A. Twenty executors would
        // otherwise each fetch the ~0.5 GB SDK bundle from Maven Central through the NAT gateway.
        s3aOnExecutors: false,
        s3aJarDigests: i.s3aJarDigests,
        metrics: i.metrics,
        sparkConf: {},
        labels: { version: "4.0.0" },
    });
}
