// Spark's pod sizes on Kubernetes and the workload files the estimator reads.
import Ajv from "ajv";
import * as fs from "fs";
import { parse } from "yaml";
import { SPARK_MEMORY } from "../components/validation";
import { memoryOverheadMiB, sparkMemoryMiB as podMemoryMiB, sparkPodRequest as componentPodRequest, SparkPodRequest } from "../components/spark/podSize";
import { EstimateError } from "./catalog";

export { memoryOverheadMiB };

/** A JVM memory string as Spark reads spark.*.memory: no unit means MiB. */
export function sparkMemoryMiB(memory: string): number {
    const mib = SPARK_MEMORY.test(memory) ? podMemoryMiB(memory) : undefined;
    if (mib === undefined) {
        throw new EstimateError(`invalid Spark memory: got ${JSON.stringify(memory)}; allowed: digits and k, m, g or t, such as "512m" or "4g"`);
    }
    return mib;
}

export type PodRequest = SparkPodRequest;

/**
 * What the Spark Operator requests for a driver or executor pod: cores (or
 * spark.kubernetes.{driver,executor}.request.cores when set), and memory plus overhead
 * (components/spark/podSize.ts, the same computation the components' pod-fit checks use).
 */
export function sparkPodRequest(cores: number, memory: string, jvm = true, requestCores?: number): PodRequest {
    sparkMemoryMiB(memory); // an EstimateError for a value not in Spark's notation
    return componentPodRequest({ role: "driver", cores: requestCores ?? cores, memory, jvm }) as PodRequest;
}

export interface Workload {
    name: string;
    description: string;
    /** How long the job runs, in minutes. */
    durationMinutes: number;
    /** Scala and Java jobs are JVM jobs; Python and R jobs get Spark's larger non-JVM overhead. */
    type: "Scala" | "Java" | "Python" | "R";
    /** requestCores: spark.kubernetes.{driver,executor}.request.cores, when the job sets it (a decimal such as 0.95). */
    driver: { cores: number; memory: string; requestCores?: number };
    executor: { instances: number; cores: number; memory: string; requestCores?: number };
    /** What one run moves: S3 reads and writes (through the NAT gateway unless an S3 gateway endpoint exists) and shuffle. */
    data?: { s3ReadGiB: number; s3WriteGiB: number; shuffleGiB: number };
}

const workloadSchema = {
    type: "object",
    additionalProperties: false,
    required: ["name", "durationMinutes", "driver", "executor"],
    properties: {
        name: { type: "string", minLength: 1 },
        description: { type: "string" },
        durationMinutes: { type: "number", exclusiveMinimum: 0, maximum: 100000 },
        type: { enum: ["Scala", "Java", "Python", "R"] },
        driver: {
            type: "object",
            additionalProperties: false,
            required: ["cores", "memory"],
            properties: {
                cores: { type: "integer", minimum: 1, maximum: 448 },
                memory: { type: "string", pattern: SPARK_MEMORY.source },
                requestCores: { type: "number", exclusiveMinimum: 0, maximum: 448 },
            },
        },
        executor: {
            type: "object",
            additionalProperties: false,
            required: ["instances", "cores", "memory"],
            properties: {
                instances: { type: "integer", minimum: 1, maximum: 100000 },
                cores: { type: "integer", minimum: 1, maximum: 448 },
                memory: { type: "string", pattern: SPARK_MEMORY.source },
                requestCores: { type: "number", exclusiveMinimum: 0, maximum: 448 },
            },
        },
        data: {
            type: "object",
            additionalProperties: false,
            required: ["s3ReadGiB", "s3WriteGiB", "shuffleGiB"],
            properties: { s3ReadGiB: { type: "number", minimum: 0 }, s3WriteGiB: { type: "number", minimum: 0 }, shuffleGiB: { type: "number", minimum: 0 } },
        },
    },
};
const validateWorkload = new Ajv({ allErrors: true }).compile(workloadSchema);

const ALLOWED: Record<string, string> = {
    "": "a mapping with name, durationMinutes, driver {cores, memory} and executor {instances, cores, memory}",
    name: "a non-empty string",
    durationMinutes: "a number of minutes greater than 0",
    type: '"Scala", "Java", "Python" or "R"',
    "driver.cores": "a whole number of cores from 1",
    "executor.cores": "a whole number of cores from 1",
    "executor.instances": "a whole number from 1",
    "driver.memory": 'a Spark memory size such as "512m" or "8g"',
    "executor.memory": 'a Spark memory size such as "512m" or "8g"',
    "driver.requestCores": "a number of cores greater than 0, such as 0.95",
    "executor.requestCores": "a number of cores greater than 0, such as 3.9",
    data: "a mapping with s3ReadGiB, s3WriteGiB and shuffleGiB",
    "data.s3ReadGiB": "a number of GiB from 0",
    "data.s3WriteGiB": "a number of GiB from 0",
    "data.shuffleGiB": "a number of GiB from 0",
};

/** Validates a parsed workload; the error names the field, the bad value and what is allowed. */
export function parseWorkload(doc: unknown, source: string): Workload {
    if (!validateWorkload(doc)) {
        // A wrong value says more than a missing sibling: report it first.
        const errors = validateWorkload.errors!;
        const e = errors.find((x) => x.keyword !== "required") ?? errors[0];
        let field = e.instancePath.replace(/^\//, "").replace(/\//g, ".");
        if (e.keyword === "required") {
            field = [field, (e.params as { missingProperty: string }).missingProperty].filter(Boolean).join(".");
        }
        if (e.keyword === "additionalProperties") {
            const extra = (e.params as { additionalProperty: string }).additionalProperty;
            throw new EstimateError(`invalid workload ${source}: unknown field ${[field, extra].filter(Boolean).join(".")}; allowed: ${ALLOWED[field] ?? ALLOWED[""]}`);
        }
        const value = field.split(".").reduce<any>((o, k) => (o === undefined || k === "" ? o : o[k]), doc);
        throw new EstimateError(`invalid workload ${source}: ${field || "document"}: got ${JSON.stringify(value) ?? "nothing"}; allowed: ${ALLOWED[field] ?? ALLOWED[""]}`);
    }
    // The schema above has checked every field; only the optional ones need their defaults.
    const w = doc as Partial<Workload> & Omit<Workload, "description" | "type">;
    return { ...w, description: w.description ?? "", type: w.type ?? "Scala" };
}

export function loadWorkload(file: string): Workload {
    if (!fs.existsSync(file)) {
        throw new EstimateError(`invalid workload: ${file} does not exist`);
    }
    let doc: unknown;
    try {
        doc = parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new EstimateError(`invalid workload ${file}: not YAML (${(e as Error).message.split("\n")[0]})`);
    }
    return parseWorkload(doc, file);
}
