import * as pulumi from "@pulumi/pulumi";
import { SparkPodPlacement } from "../pools/placement";
import { ArgChecker, CONTAINER_IMAGE, DNS1123_LABEL, requireArgsObject, SPARK_MEMORY } from "../validation";
import { checkS3AJarDigests, DEFAULT_SPARK_IMAGE, S3AJarDigests } from "./image";
import { ConcurrencyPolicy, maxExecutorsWithin, SparkJobType } from "./job";
import { jobPlacementProblems, JobPods } from "./placementCheck";

export interface SparkJobArgs {
    /** Job namespace (one of SparkOperator's jobNamespaces). */
    namespace: string;
    /**
     * Kubernetes name of the SparkApplication (or ScheduledSparkApplication).
     * @default the component's name
     */
    applicationName?: string;
    /**
     * Service account the driver and executors run as: SparkOperator's, or a dataAccess grant's.
     * @default "spark"
     */
    serviceAccountName?: string;
    /**
     * Spark image.
     * @default "public.ecr.aws/docker/library/spark:4.0.4"
     */
    image?: string;
    /**
     * Whether the image has the S3A connector (docker/spark-s3a/Dockerfile); otherwise the driver
     * and the executors fetch the pinned jars at start-up (an init container each).
     * @default false
     */
    imageHasS3A?: boolean;
    /**
     * Fetch the S3A jars on every executor too, when the image lacks them: tasks that read or
     * write s3a:// data need them. Each executor then downloads about half a gigabyte from Maven
     * Central through the NAT gateway (estimate accounts it): prefer an S3A image for big jobs.
     * Set false only for a job whose tasks never touch S3.
     * @default true
     */
    s3aOnExecutors?: boolean;
    /**
     * Digests pinned for the S3A jars the init containers fetch (see S3AJarDigests).
     * @default hadoop-aws's SHA-1 pinned in the repository; the SDK bundle checked against Maven Central's .sha1
     */
    s3aJarDigests?: S3AJarDigests;
    /**
     * Application language.
     * @default "Scala"
     */
    type?: SparkJobType;
    /** The application: local:///opt/spark/..., s3a://bucket/app.jar or a Python file. */
    mainApplicationFile: string;
    /**
     * Main class (Scala and Java).
     * @default none
     */
    mainClass?: string;
    /**
     * Arguments of the application.
     * @default []
     */
    arguments?: string[];
    /**
     * Driver cores.
     * @default 1
     */
    driverCores?: number;
    /**
     * Driver memory in Spark's notation.
     * @default "1g"
     */
    driverMemory?: string;
    /**
     * Executor cores.
     * @default 2
     */
    executorCores?: number;
    /**
     * Executor memory in Spark's notation.
     * @default "4g"
     */
    executorMemory?: string;
    /**
     * Executors (without dynamic allocation; with it, the initial count).
     * @default 2
     */
    executorInstances?: number;
    /**
     * SpotExecutorPool's driverPlacement. Checked at construction when it is a plain value (the
     * driver never on Spot, a toleration matching the pool's taint, the driver pod fitting an
     * instance type of the pool); as an Output, the same checks run when it resolves.
     */
    driverPlacement: pulumi.Input<SparkPodPlacement>;
    /** SpotExecutorPool's executorPlacement, checked like driverPlacement. */
    executorPlacement: pulumi.Input<SparkPodPlacement>;
    /** The executor pool's CPU limit (SpotExecutorPool's executorCpuLimit): executors must fit in it. */
    executorPoolCpuLimit: number;
    /**
     * SparkOperator's eventLogDirectory; no event logs when unset.
     * @default no event logs
     */
    eventLogDirectory?: pulumi.Input<string>;
    /** AWS region (SparkOperator's region output), for S3A. */
    region: pulumi.Input<string>;
    /**
     * Dynamic allocation with shuffle tracking: executors between minExecutors and maxExecutors,
     * released when idle, their blocks migrated on removal (decommissioning).
     * @default false
     */
    dynamicAllocation?: boolean;
    /**
     * Fewest executors with dynamic allocation.
     * @default 0
     */
    minExecutors?: number;
    /**
     * Most executors with dynamic allocation.
     * @default as many as fit the executor pool's CPU limit
     */
    maxExecutors?: number;
    /**
     * Narrow the executors' nodes to the size that this job's executors fill (a node affinity on
     * karpenter.k8s.aws/instance-cpu, computed from the executor pool's instance types): twenty
     * 1-core executors get a 16-vCPU and a 4-vCPU node instead of a 32-vCPU one at 60%. Not with
     * dynamic allocation, whose executor count varies.
     * @default true
     */
    fitExecutorNodes?: boolean;
    /**
     * Expose Spark's Prometheus endpoints on the driver's UI port.
     * @default false
     */
    metrics?: boolean;
    /**
     * Extra Spark properties; they win over the merged ones.
     * @default {}
     */
    sparkConf?: Record<string, string>;
    /**
     * Cron schedule: makes a ScheduledSparkApplication (e.g. "0 2 * * *", "@daily", "@every 6h").
     * @default run once (a SparkApplication)
     */
    schedule?: string;
    /**
     * IANA time zone of the schedule.
     * @default "Etc/UTC"
     */
    timeZone?: string;
    /**
     * What a due run does while the previous still runs.
     * @default "Forbid"
     */
    concurrencyPolicy?: ConcurrencyPolicy;
}

export interface ResolvedSparkJobArgs {
    namespace: string;
    applicationName: string;
    serviceAccountName: string;
    image: string;
    imageHasS3A: boolean;
    s3aOnExecutors: boolean;
    s3aJarDigests: S3AJarDigests;
    type: SparkJobType;
    mainApplicationFile: string;
    mainClass?: string;
    arguments: string[];
    driver: { cores: number; memory: string };
    executor: { cores: number; memory: string; instances: number };
    driverPlacement: pulumi.Input<SparkPodPlacement>;
    executorPlacement: pulumi.Input<SparkPodPlacement>;
    eventLogDirectory?: pulumi.Input<string>;
    region: pulumi.Input<string>;
    dynamicAllocation?: { minExecutors: number; maxExecutors: number; initialExecutors: number };
    fitExecutorNodes: boolean;
    metrics: boolean;
    sparkConf: Record<string, string>;
    schedule?: { schedule: string; timeZone: string; concurrencyPolicy: ConcurrencyPolicy };
}

/** Cron as robfig/cron (the operator's parser) reads it: five fields, or a descriptor. */
const CRON = /^((@(yearly|annually|monthly|weekly|daily|midnight|hourly))|(@every \d+(ns|us|ms|s|m|h)+)|(\S+ \S+ \S+ \S+ \S+))$/;
const TIME_ZONE = /^[A-Za-z]+(\/[A-Za-z0-9_+-]+)*$/;
/**
 * Pod and Service names derive from the application name: `<name>-driver`, `<name>-ui-svc`
 * (at most 63 characters), and a scheduled run is `<name>-<19-digit timestamp>`.
 */
const MAX_NAME = 56;
const MAX_SCHEDULED_NAME = 36;

/** A job's pods as the pod-fit check sees them. */
export function jobPods(name: string, a: Pick<ResolvedSparkJobArgs, "type" | "driver" | "executor" | "sparkConf" | "dynamicAllocation" | "fitExecutorNodes">): JobPods {
    return {
        job: `SparkJob "${name}"`,
        type: a.type,
        driver: a.driver,
        executor: a.executor,
        sparkConf: a.sparkConf,
        args: { driver: "driverCores, driverMemory", executor: "executorCores, executorMemory" },
        ...(a.fitExecutorNodes && !a.dynamicAllocation ? { executorInstances: a.executor.instances } : {}),
    };
}

export function resolveSparkJobArgs(name: string, args: SparkJobArgs): ResolvedSparkJobArgs {
    requireArgsObject("SparkJob", name, args, "namespace, mainApplicationFile and executorPoolCpuLimit");
    const check = new ArgChecker("SparkJob", name);
    const schedule = args.schedule;
    const applicationName = check.string("applicationName", args.applicationName ?? name, DNS1123_LABEL, "a DNS-1123 label");
    const maxName = schedule === undefined ? MAX_NAME : MAX_SCHEDULED_NAME;
    if (applicationName.length > maxName) {
        check.fail("applicationName", applicationName, `at most ${maxName} characters (pod names are <name>-driver${schedule === undefined ? "" : " after a 20-character run suffix"})`);
    }
    const memoryAllowed = 'a JVM memory size such as "512m" or "4g"';
    const executorCores = check.integer("executorCores", args.executorCores ?? 2, 1, 192);
    const executorPoolCpuLimit = check.integer("executorPoolCpuLimit", args.executorPoolCpuLimit, 1, 1000000);
    const fit = maxExecutorsWithin(executorPoolCpuLimit, executorCores);
    const instances = check.integer("executorInstances", args.executorInstances ?? 2, 1, Math.max(1, fit));
    let dynamicAllocation: ResolvedSparkJobArgs["dynamicAllocation"];
    if (check.boolean("dynamicAllocation", args.dynamicAllocation ?? false)) {
        const maxExecutors = check.integer("maxExecutors", args.maxExecutors ?? fit, 1, fit);
        const minExecutors = check.integer("minExecutors", args.minExecutors ?? 0, 0, maxExecutors);
        dynamicAllocation = { minExecutors, maxExecutors, initialExecutors: Math.min(Math.max(instances, minExecutors), maxExecutors) };
    } else if (args.minExecutors !== undefined || args.maxExecutors !== undefined) {
        check.fail("minExecutors", args.minExecutors ?? args.maxExecutors, "unset unless dynamicAllocation is true");
    }
    const resolved: ResolvedSparkJobArgs = {
        namespace: check.string("namespace", args.namespace, DNS1123_LABEL, "a job namespace (a DNS-1123 label)"),
        applicationName,
        serviceAccountName: check.string("serviceAccountName", args.serviceAccountName ?? "spark", DNS1123_LABEL, "a DNS-1123 label"),
        image: check.string("image", args.image ?? DEFAULT_SPARK_IMAGE, CONTAINER_IMAGE, `a container image reference such as "${DEFAULT_SPARK_IMAGE}"`),
        imageHasS3A: check.boolean("imageHasS3A", args.imageHasS3A ?? false),
        s3aOnExecutors: check.boolean("s3aOnExecutors", args.s3aOnExecutors ?? true),
        s3aJarDigests: checkS3AJarDigests(check, "s3aJarDigests", args.s3aJarDigests),
        type: check.oneOf("type", args.type ?? SparkJobType.Scala, SparkJobType),
        mainApplicationFile: check.string("mainApplicationFile", args.mainApplicationFile, /^\S+$/, "a URI such as local:///opt/spark/examples/jars/spark-examples.jar or s3a://bucket/app.py"),
        mainClass: args.mainClass === undefined ? undefined : check.string("mainClass", args.mainClass, /^[A-Za-z_$][\w$.]*$/, "a fully qualified class name"),
        arguments: [...(args.arguments ?? [])],
        driver: {
            cores: check.integer("driverCores", args.driverCores ?? 1, 1, 192),
            memory: check.string("driverMemory", args.driverMemory ?? "1g", SPARK_MEMORY, memoryAllowed),
        },
        executor: { cores: executorCores, memory: check.string("executorMemory", args.executorMemory ?? "4g", SPARK_MEMORY, memoryAllowed), instances },
        driverPlacement: args.driverPlacement,
        executorPlacement: args.executorPlacement,
        eventLogDirectory: args.eventLogDirectory,
        region: args.region,
        dynamicAllocation,
        fitExecutorNodes: check.boolean("fitExecutorNodes", args.fitExecutorNodes ?? true),
        metrics: check.boolean("metrics", args.metrics ?? false),
        sparkConf: { ...(args.sparkConf ?? {}) },
        schedule:
            schedule === undefined
                ? undefined
                : {
                      schedule: check.string("schedule", schedule, CRON, 'a cron schedule such as "0 2 * * *", "@daily" or "@every 6h"'),
                      timeZone: check.string("timeZone", args.timeZone ?? "Etc/UTC", TIME_ZONE, 'an IANA time zone such as "Europe/Paris"'),
                      concurrencyPolicy: check.oneOf("concurrencyPolicy", args.concurrencyPolicy ?? ConcurrencyPolicy.Forbid, ConcurrencyPolicy),
                  },
    };
    if (check.problems.list.length === 0) {
        // The driver never on Spot, tolerations matching the pools' taints, and pods that fit
        // their pools: now for placements known at construction, else as they resolve (SparkJob).
        check.problems.addAll(jobPlacementProblems(jobPods(name, resolved), { driver: args.driverPlacement, executor: args.executorPlacement }));
    }
    check.done(); // every problem at once (components/validation)
    return resolved;
}
