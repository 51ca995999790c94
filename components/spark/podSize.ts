// What a Spark driver or executor pod requests of its node, as Spark on Kubernetes computes it.
// One implementation for the components' pod-fit checks and the cost estimator (cost/spark.ts).

/** Spark's minimum memory overhead per pod (spark.{driver,executor}.minMemoryOverhead, https://spark.apache.org/docs/4.0.0/configuration.html#application-properties). */
export const MIN_MEMORY_OVERHEAD_MIB = 384;
/** The overhead factor of JVM jobs; non-JVM (Python, R) jobs get 0.40 on Kubernetes (spark.kubernetes.memoryOverheadFactor, https://spark.apache.org/docs/4.0.0/running-on-kubernetes.html#spark-properties). */
export const JVM_OVERHEAD_FACTOR = 0.1;
export const NON_JVM_OVERHEAD_FACTOR = 0.4;

const UNIT_EXPONENT: Record<string, number> = { b: -2, k: -1, m: 0, g: 1, t: 2, p: 3 };

/** Spark's memory notation (512m, 2g, 1024k; no unit means MiB, as spark.*.memory reads it) in MiB; undefined when it is not one. */
export function sparkMemoryMiB(text: string): number | undefined {
    const m = /^([0-9]+)([kKmMgGtTpP][bB]?|[bB])?$/.exec(text);
    if (!m) {
        return undefined;
    }
    return m[2] === undefined ? Number(m[1]) : Number(m[1]) * 1024 ** UNIT_EXPONENT[m[2][0].toLowerCase()];
}

/** Spark's memory overhead: max(minimum, factor x memory), as Spark computes it for each pod (truncated to whole MiB). */
export function memoryOverheadMiB(memoryMiB: number, factor = JVM_OVERHEAD_FACTOR, minimumMiB = MIN_MEMORY_OVERHEAD_MIB): number {
    return Math.max(minimumMiB, Math.floor(factor * memoryMiB));
}

/** A Kubernetes CPU quantity ("500m", "0.5", "2") in millicores; undefined when it is not one. */
export function cpuMilli(quantity: string): number | undefined {
    const m = /^([0-9]+(\.[0-9]+)?|\.[0-9]+)(m?)$/.exec(quantity.trim());
    return m ? Math.round(Number(m[1]) * (m[3] === "m" ? 1 : 1000)) : undefined;
}

/** A Spark pod's requests as the scheduler sees them. */
export interface SparkPodRequest {
    cpuMilli: number;
    memoryMiB: number;
}

/** What sizes one Spark role's pods. */
export interface SparkPodSizing {
    /** "driver" or "executor". */
    role: string;
    /** spark.{role}.cores. */
    cores: number;
    /** The heap, spark.{role}.memory, in Spark's notation. */
    memory: string;
    /** Scala and Java jobs are JVM jobs; Python and R get Spark's larger non-JVM overhead factor. */
    jvm: boolean;
    /** The SparkApplication's coreRequest (spark.kubernetes.{role}.request.cores), when it sets one. */
    coreRequest?: string;
    /** The job's own Spark properties: request.cores, memoryOverhead, memoryOverheadFactor, minMemoryOverhead and pyspark.memory are read. */
    sparkConf?: Record<string, string>;
}

/**
 * The pod's requests: CPU is spark.kubernetes.{role}.request.cores when set (else the cores);
 * memory is the heap plus spark.{role}.memoryOverhead when set, else max(minMemoryOverhead,
 * memoryOverheadFactor x heap), plus spark.executor.pyspark.memory for executors
 * (https://spark.apache.org/docs/4.0.0/configuration.html#application-properties,
 * https://spark.apache.org/docs/4.0.0/running-on-kubernetes.html#spark-properties).
 * Undefined when a value is not in Spark's notation (the argument checks report that).
 */
export function sparkPodRequest(s: SparkPodSizing): SparkPodRequest | undefined {
    const conf = s.sparkConf ?? {};
    const heap = sparkMemoryMiB(s.memory);
    const requested = conf[`spark.kubernetes.${s.role}.request.cores`] ?? s.coreRequest;
    const cpu = requested === undefined ? Math.round(s.cores * 1000) : cpuMilli(requested);
    if (heap === undefined || cpu === undefined) {
        return undefined;
    }
    const explicit = conf[`spark.${s.role}.memoryOverhead`];
    const factor = Number(conf[`spark.${s.role}.memoryOverheadFactor`] ?? conf["spark.kubernetes.memoryOverheadFactor"] ?? (s.jvm ? JVM_OVERHEAD_FACTOR : NON_JVM_OVERHEAD_FACTOR));
    const minimum = conf[`spark.${s.role}.minMemoryOverhead`] === undefined ? MIN_MEMORY_OVERHEAD_MIB : sparkMemoryMiB(conf[`spark.${s.role}.minMemoryOverhead`]);
    const overhead = explicit !== undefined ? sparkMemoryMiB(explicit) : minimum === undefined ? undefined : memoryOverheadMiB(heap, factor, minimum);
    const pyspark = s.role === "executor" && conf["spark.executor.pyspark.memory"] !== undefined ? sparkMemoryMiB(conf["spark.executor.pyspark.memory"]) : 0;
    if (overhead === undefined || pyspark === undefined || !Number.isFinite(factor)) {
        return undefined;
    }
    return { cpuMilli: cpu, memoryMiB: heap + overhead + pyspark };
}
