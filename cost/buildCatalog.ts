// Builds components/catalog/instance-catalog.json, the compact table of EC2 facts the components
// (launchability checks) and the estimator read, from the upstream data in ../shared/fixtures/ec2
// (which the repo never copies). Rerun with `npm run build:catalog` (tools/buildCatalog.ts) when the fixtures change; the
// sources and their dates go into the file.
import * as fs from "fs";
import * as path from "path";
import { CATALOG_FILE } from "../components/catalog/catalog";

export { CATALOG_FILE };

export const FIXTURES = path.resolve(__dirname, "..", "..", "shared", "fixtures", "ec2");

/** Column order of each row in `types`. */
export const TYPE_COLUMNS = [
    "vcpu",
    "memoryMiB",
    "arch",
    "category",
    "family",
    "generation",
    "size",
    "localNvmeGiB",
    "allocatableCpuMilli",
    "allocatableMemoryMiB",
    "allocatablePods",
    "onDemandUsdPerHourUsEast1",
] as const;

function quantity(q: string, unit: "m" | "Mi"): number {
    const m = /^(\d+)(m|Mi|Gi|Ki)?$/.exec(q);
    if (!m) {
        throw new Error(`unexpected quantity ${q}`);
    }
    const n = Number(m[1]);
    if (unit === "m") {
        return m[2] === "m" ? n : n * 1000;
    }
    return m[2] === "Gi" ? n * 1024 : m[2] === "Ki" ? Math.floor(n / 1024) : n;
}

export function buildCatalog() {
    const main = JSON.parse(fs.readFileSync(path.join(FIXTURES, "ec2_instance_types_karpenter_v1.14.json"), "utf8"));
    const advisor = JSON.parse(fs.readFileSync(path.join(FIXTURES, "aws_spot_advisor_data_2025-06-28.json"), "utf8"));
    const multipliers = JSON.parse(fs.readFileSync(path.join(FIXTURES, "regional_od_price_multipliers_2022.json"), "utf8"));
    const types: Record<string, (string | number)[]> = {};
    let withoutPrice = 0;
    for (const [name, t] of Object.entries<any>(main.instance_types)) {
        if (t.on_demand_usd_per_hour_us_east_1 == null || !t.allocatable_al2023) {
            withoutPrice++;
            continue;
        }
        const a = t.allocatable_al2023;
        types[name] = [
            t.vcpu,
            t.memory_mib,
            t.arch,
            t.category,
            t.family,
            t.generation,
            t.size,
            t.local_nvme_gib ?? 0,
            quantity(a.cpu, "m"),
            quantity(a.memory, "Mi"),
            Number(a.pods),
            t.on_demand_usd_per_hour_us_east_1,
        ];
    }
    const spot: Record<string, Record<string, [number, number]>> = {};
    for (const [region, byOs] of Object.entries<any>(advisor.spot_advisor)) {
        const linux = byOs.Linux ?? {};
        spot[region] = {};
        for (const [name, v] of Object.entries<any>(linux)) {
            if (types[name]) {
                spot[region][name] = [v.s, v.r];
            }
        }
    }
    const onDemandMultipliers: Record<string, number> = { "us-east-1": 1 };
    for (const [region, m] of Object.entries<any>(multipliers.multipliers)) {
        onDemandMultipliers[region] = m.median;
    }
    return {
        _sources: {
            specsAndOnDemand: main._meta._sources.specs,
            onDemandPrices: main._meta._sources.on_demand,
            spotAdvisor: `${main._meta._sources.spot_advisor}; all regions from aws_spot_advisor_data_2025-06-28.json`,
            regionalMultipliers: multipliers._source,
            interruptionBands: advisor.ranges.map((r: any) => r.label),
            builtBy: "cost/buildCatalog.ts from ../shared/fixtures/ec2",
            typesWithoutOnDemandPrice: withoutPrice,
        },
        columns: TYPE_COLUMNS,
        types,
        spot,
        onDemandMultipliers,
    };
}
