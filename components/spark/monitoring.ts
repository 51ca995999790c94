import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedSparkOperatorArgs } from "./args";
import { SPARK_OPERATOR_NAMESPACE } from "./values";

/**
 * A Prometheus Operator PodMonitor for every Spark driver in the job namespaces: Spark's own
 * metrics (/metrics/prometheus) and its executors' (/metrics/executors/prometheus) on the driver's
 * UI port, named "spark-ui" by Spark's driver pod (https://spark.apache.org/docs/4.0.0/monitoring.html).
 */
export function sparkDriverPodMonitor(jobNamespaces: string[]) {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: { name: "spark-drivers", namespace: SPARK_OPERATOR_NAMESPACE },
        spec: {
            namespaceSelector: { matchNames: [...jobNamespaces] },
            selector: { matchLabels: { "spark-role": "driver" } },
            podMetricsEndpoints: [
                { port: "spark-ui", path: "/metrics/prometheus", interval: "30s" },
                { port: "spark-ui", path: "/metrics/executors/prometheus", interval: "30s" },
            ],
        },
    };
}

export function createDriverPodMonitor(name: string, a: ResolvedSparkOperatorArgs, dependsOn: pulumi.Resource[], parent: pulumi.Resource) {
    const m = sparkDriverPodMonitor(a.jobNamespaces);
    return new k8s.apiextensions.CustomResource(`${name}-driver-metrics`, { apiVersion: m.apiVersion, kind: m.kind, metadata: m.metadata, spec: m.spec }, { parent, dependsOn });
}
