import { executorCoreRequest, SparkPodPlacement } from "../pools/placement";
import { EXTRA_JARS_CLASSPATH, EXTRA_JARS_DIR, EXTRA_JARS_VOLUME, S3AJarDigests, s3aJarsInitContainer, s3aJarsVolume, SPARK_VERSION } from "./image";
import { eventLogConf, s3aConf } from "./sparkConf";

// Builds SparkApplication and ScheduledSparkApplication manifests (sparkoperator.k8s.io/v1beta2)
// with the pools' placement, S3A, event logs, metrics and dynamic allocation merged in. Pure:
// tests/contract/sparkJob.spec.ts validates what it builds against both CRDs of operator 2.5.2.

/** Application languages the operator accepts (the CRD's spec.type enum). */
export const SparkJobType = {
    Scala: "Scala",
    Java: "Java",
    Python: "Python",
    R: "R",
} as const;
export type SparkJobType = (typeof SparkJobType)[keyof typeof SparkJobType];

/** What a ScheduledSparkApplication does when a run is due while the previous one still runs. */
export const ConcurrencyPolicy = {
    Allow: "Allow",
    Forbid: "Forbid",
    Replace: "Replace",
} as const;
export type ConcurrencyPolicy = (typeof ConcurrencyPolicy)[keyof typeof ConcurrencyPolicy];

/** The driver or executor pods' size. */
export interface SparkPodSize {
    /** CPU cores (spark.driver.cores / spark.executor.cores). */
    cores: number;
    /** JVM heap in Spark's notation (512m, 4g). */
    memory: string;
}

/** Dynamic allocation bounds (executors). */
export interface DynamicAllocationInput {
    minExecutors: number;
    maxExecutors: number;
    initialExecutors: number;
}

export interface SparkJobManifestInput {
    name: string;
    namespace: string;
    serviceAccount: string;
    image: string;
    type: SparkJobType;
    mainApplicationFile: string;
    mainClass?: string;
    arguments: string[];
    driver: SparkPodSize;
    executor: SparkPodSize & { instances: number };
    driverPlacement: SparkPodPlacement;
    executorPlacement: SparkPodPlacement;
    /** Each executor's CPU request when the job's executor fit chose one (components/spark/placementCheck.ts fitExecutors); else the platform's default. */
    executorCoreRequest?: string;
    /** s3a:// event-log directory; no event logs when unset. */
    eventLogDirectory?: string;
    /** AWS region for S3A. */
    region: string;
    /** Add the S3A jars with an init container (the image has none): the driver, and the executors unless s3aOnExecutors is false. */
    addS3AJars: boolean;
    /** Give executors the S3A jars too (tasks that read or write s3a:// data need them). */
    s3aOnExecutors: boolean;
    /** Digests the user pins for the jars (over the repository's). */
    s3aJarDigests?: S3AJarDigests;
    dynamicAllocation?: DynamicAllocationInput;
    /** Expose Spark's Prometheus endpoints on the driver's UI port. */
    metrics: boolean;
    /** The user's own Spark properties; they win over everything merged in. */
    sparkConf: Record<string, string>;
    labels: Record<string, string>;
}

/** Executors idle this long are released (Spark's default, https://spark.apache.org/docs/4.0.0/configuration.html#dynamic-allocation). */
export const EXECUTOR_IDLE_TIMEOUT = "60s";
/**
 * An executor holding shuffle data is kept at most this long after its stages end; on removal
 * its blocks are migrated (decommissioning), so this only bounds the wait. Our choice: half an hour.
 */
export const SHUFFLE_TRACKING_TIMEOUT_MS = 30 * 60 * 1000;

/** Spark's native Prometheus endpoints: /metrics/prometheus (driver) and /metrics/executors/prometheus (https://spark.apache.org/docs/4.0.0/monitoring.html). */
export function prometheusConf(): Record<string, string> {
    return {
        "spark.ui.prometheus.enabled": "true",
        "spark.metrics.conf.*.sink.prometheusServlet.class": "org.apache.spark.metrics.sink.PrometheusServlet",
        "spark.metrics.conf.*.sink.prometheusServlet.path": "/metrics/prometheus",
    };
}

/** Placement fields of a SparkApplication's driver or executor section. */
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

/** The upstream example's container hardening. */
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

export function sparkApplicationSpec(i: SparkJobManifestInput) {
    const jarsOnDriver = i.addS3AJars;
    const jarsOnExecutors = i.addS3AJars && i.s3aOnExecutors;
    const jars = (on: boolean) =>
        on ? { initContainers: [s3aJarsInitContainer(i.image, i.s3aJarDigests)], volumeMounts: [{ name: EXTRA_JARS_VOLUME, mountPath: EXTRA_JARS_DIR, readOnly: true }] } : {};
    const da = i.dynamicAllocation;
    const sparkConf: Record<string, string> = {
        ...i.driverPlacement.sparkConf,
        ...i.executorPlacement.sparkConf,
        ...s3aConf(i.region),
        ...(i.eventLogDirectory ? eventLogConf(i.eventLogDirectory) : {}),
        ...(jarsOnDriver ? { "spark.driver.extraClassPath": EXTRA_JARS_CLASSPATH } : {}),
        ...(jarsOnExecutors ? { "spark.executor.extraClassPath": EXTRA_JARS_CLASSPATH } : {}),
        ...(da ? { "spark.dynamicAllocation.executorIdleTimeout": EXECUTOR_IDLE_TIMEOUT } : {}),
        ...(i.metrics ? prometheusConf() : {}),
        ...i.sparkConf,
    };
    return {
        type: i.type,
        mode: "cluster",
        image: i.image,
        imagePullPolicy: "IfNotPresent",
        ...(i.mainClass ? { mainClass: i.mainClass } : {}),
        mainApplicationFile: i.mainApplicationFile,
        ...(i.arguments.length > 0 ? { arguments: [...i.arguments] } : {}),
        sparkVersion: SPARK_VERSION,
        sparkConf,
        ...(jarsOnDriver || jarsOnExecutors ? { volumes: [s3aJarsVolume()] } : {}),
        ...(da
            ? {
                  dynamicAllocation: {
                      enabled: true,
                      initialExecutors: da.initialExecutors,
                      minExecutors: da.minExecutors,
                      maxExecutors: da.maxExecutors,
                      // Executors keep their shuffle files; no external shuffle service on Kubernetes.
                      shuffleTrackingEnabled: true,
                      shuffleTrackingTimeout: SHUFFLE_TRACKING_TIMEOUT_MS,
                  },
              }
            : {}),
        driver: {
            labels: { ...i.labels },
            cores: i.driver.cores,
            memory: i.driver.memory,
            serviceAccount: i.serviceAccount,
            securityContext: securityContext(),
            ...jars(jarsOnDriver),
            ...placementFields(i.driverPlacement),
        },
        executor: {
            labels: { ...i.labels },
            ...(da ? {} : { instances: i.executor.instances }),
            cores: i.executor.cores,
            coreRequest: i.executorCoreRequest ?? executorCoreRequest(i.executor.cores),
            memory: i.executor.memory,
            serviceAccount: i.serviceAccount,
            securityContext: securityContext(),
            ...jars(jarsOnExecutors),
            ...placementFields(i.executorPlacement),
        },
    };
}

export function sparkApplicationManifest(i: SparkJobManifestInput) {
    return {
        apiVersion: "sparkoperator.k8s.io/v1beta2",
        kind: "SparkApplication",
        metadata: { name: i.name, namespace: i.namespace },
        spec: sparkApplicationSpec(i),
    };
}

export interface ScheduleInput {
    /** Cron schedule (the operator's robfig/cron syntax, e.g. "0 2 * * *" or "@daily"). */
    schedule: string;
    /** IANA time zone of the schedule. */
    timeZone: string;
    concurrencyPolicy: ConcurrencyPolicy;
}

export function scheduledSparkApplicationManifest(i: SparkJobManifestInput, s: ScheduleInput) {
    return {
        apiVersion: "sparkoperator.k8s.io/v1beta2",
        kind: "ScheduledSparkApplication",
        metadata: { name: i.name, namespace: i.namespace },
        spec: {
            schedule: s.schedule,
            timeZone: s.timeZone,
            concurrencyPolicy: s.concurrencyPolicy,
            successfulRunHistoryLimit: 1,
            failedRunHistoryLimit: 3,
            template: sparkApplicationSpec(i),
        },
    };
}

/** Largest executor count whose cores fit the executor pool's CPU limit (a necessary bound: nodes also carry DaemonSets). */
export function maxExecutorsWithin(executorPoolCpuLimit: number, executorCores: number): number {
    return Math.floor(executorPoolCpuLimit / executorCores);
}
