import { executorCoreRequest, SparkPodPlacement } from "../pools/placement";

// The seed's test job: the Spark Operator's own examples/spark-pi.yaml (operator 2.5.2, Spark
// 4.0.4) with the seed's changes: 20 executors, drivers on On-Demand and executors on Spot.
// tests/contract/sparkOperator.spec.ts diffs it against the upstream file.

export const SPARK_VERSION = "4.0.4";
export const DEFAULT_SPARK_IMAGE = `docker.io/apache/spark:${SPARK_VERSION}`;
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
    /** Where to write event logs; only when the image has the S3A connector. */
    eventLogDir?: string;
}

/** The upstream example's container hardening, unchanged. */
function securityContext() {
    return {
        capabilities: { drop: ["ALL"] },
        runAsGroup: 185,
        runAsUser: 185,
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** The fields of a SparkApplication's driver or executor section that place it. */
function placementFields(p: SparkPodPlacement) {
    return {
        nodeSelector: p.nodeSelector,
        tolerations: p.tolerations,
        affinity: p.affinity,
        ...(Object.keys(p.annotations).length > 0 ? { annotations: p.annotations } : {}),
        template: p.template,
        ...(p.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: p.terminationGracePeriodSeconds } : {}),
    };
}

export function sparkPiManifest(i: SparkPiInput) {
    const eventLogs = i.eventLogDir ? { "spark.eventLog.enabled": "true", "spark.eventLog.dir": i.eventLogDir } : {};
    return {
        apiVersion: "sparkoperator.k8s.io/v1beta2",
        kind: "SparkApplication",
        metadata: { name: SPARK_PI_NAME, namespace: i.namespace },
        spec: {
            type: "Scala",
            mode: "cluster",
            image: i.image,
            imagePullPolicy: "IfNotPresent",
            mainClass: "org.apache.spark.examples.SparkPi",
            mainApplicationFile: "local:///opt/spark/examples/jars/spark-examples.jar",
            arguments: ["5000"],
            sparkVersion: SPARK_VERSION,
            sparkConf: { ...i.driverPlacement.sparkConf, ...i.executorPlacement.sparkConf, ...eventLogs },
            driver: {
                labels: { version: "4.0.0" },
                cores: 1,
                memory: i.driverMemory,
                serviceAccount: i.serviceAccount,
                securityContext: securityContext(),
                ...placementFields(i.driverPlacement),
            },
            executor: {
                labels: { version: "4.0.0" },
                instances: i.executorInstances,
                cores: 1,
                coreRequest: executorCoreRequest(1),
                memory: i.executorMemory,
                serviceAccount: i.serviceAccount,
                securityContext: securityContext(),
                ...placementFields(i.executorPlacement),
            },
        },
    };
}
