import * as fs from "fs";
import * as path from "path";

/** An EC2 instance type with what Karpenter and the estimator need to know of it. */
export interface InstanceType {
    name: string;
    vcpu: number;
    memoryMiB: number;
    arch: string;
    category: string;
    family: string;
    generation: number;
    size: string;
    localNvmeGiB: number;
    /** What Karpenter computes the kubelet can give pods (AL2023 defaults). */
    allocatable: { cpuMilli: number; memoryMiB: number; pods: number };
    onDemandUsdPerHourUsEast1: number;
}

export interface Catalog {
    types: InstanceType[];
    byName: Map<string, InstanceType>;
    /** Spot Advisor per region: type -> [savings % vs on-demand, interruption band index]. */
    spot: Record<string, Record<string, [number, number]>>;
    /** On-demand price ratio of each region to us-east-1 (median over types). */
    onDemandMultipliers: Record<string, number>;
    interruptionBands: string[];
    sources: Record<string, unknown>;
    /** Prices fetched from the AWS APIs for one region (`--live`), preferred over the offline ones there. */
    live?: { region: string; onDemand: Map<string, number>; spot: Map<string, number> };
}

export const CATALOG_FILE = path.join(__dirname, "instance-catalog.json");

/** An estimate that cannot be made as asked (bad workload, unknown region): exit code 2. */
export class EstimateError extends Error {}

export function loadCatalog(file = CATALOG_FILE): Catalog {
    const raw = JSON.parse(fs.readFileSync(file, "utf8"));
    const col = (name: string) => (raw.columns as string[]).indexOf(name);
    const types: InstanceType[] = Object.entries<any[]>(raw.types).map(([name, row]) => ({
        name,
        vcpu: row[col("vcpu")],
        memoryMiB: row[col("memoryMiB")],
        arch: row[col("arch")],
        category: row[col("category")],
        family: row[col("family")],
        generation: row[col("generation")],
        size: row[col("size")],
        localNvmeGiB: row[col("localNvmeGiB")],
        allocatable: { cpuMilli: row[col("allocatableCpuMilli")], memoryMiB: row[col("allocatableMemoryMiB")], pods: row[col("allocatablePods")] },
        onDemandUsdPerHourUsEast1: row[col("onDemandUsdPerHourUsEast1")],
    }));
    return {
        types,
        byName: new Map(types.map((t) => [t.name, t])),
        spot: raw.spot,
        onDemandMultipliers: raw.onDemandMultipliers,
        interruptionBands: raw._sources.interruptionBands,
        sources: raw._sources,
    };
}

/** Prices in one region. */
export interface RegionPricing {
    region: string;
    onDemand(t: InstanceType): number;
    /** Spot price, savings and interruption band, or undefined where the Spot Advisor has no data. */
    spot(t: InstanceType): { usdPerHour: number; savingsPct: number; band: string } | undefined;
}

export function regionPricing(catalog: Catalog, region: string): RegionPricing {
    const multiplier = catalog.onDemandMultipliers[region];
    const advisor = catalog.spot[region];
    if (multiplier === undefined || advisor === undefined) {
        const known = Object.keys(catalog.onDemandMultipliers).filter((r) => catalog.spot[r]).sort();
        throw new EstimateError(`invalid region: got ${JSON.stringify(region)}; allowed: a region with on-demand and Spot Advisor data: ${known.join(", ")}`);
    }
    const live = catalog.live?.region === region ? catalog.live : undefined;
    const onDemand = (t: InstanceType) => live?.onDemand.get(t.name) ?? t.onDemandUsdPerHourUsEast1 * multiplier;
    return {
        region,
        onDemand,
        spot: (t) => {
            const a = advisor[t.name];
            const band = a ? catalog.interruptionBands[a[1]] : "unknown";
            const livePrice = live?.spot.get(t.name);
            if (livePrice !== undefined) {
                return { usdPerHour: livePrice, savingsPct: Math.round(100 * (1 - livePrice / onDemand(t))), band };
            }
            if (!a) {
                return undefined;
            }
            return { usdPerHour: onDemand(t) * (1 - a[0] / 100), savingsPct: a[0], band };
        },
    };
}
