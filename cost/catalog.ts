// Prices on top of the instance catalog the components own (components/catalog): the estimator's
// view of what each instance type costs per region, offline or from the AWS APIs (`--live`).
import { Catalog as InstanceCatalog, InstanceType } from "../components/catalog/catalog";

export { CATALOG_FILE, InstanceType, loadCatalog } from "../components/catalog/catalog";

export interface Catalog extends InstanceCatalog {
    /** Prices fetched from the AWS APIs for one region (`--live`), preferred over the offline ones there. */
    live?: { region: string; onDemand: Map<string, number>; spot: Map<string, number> };
}

/** An estimate that cannot be made as asked (bad workload, unknown region): exit code 2. */
export class EstimateError extends Error {}

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
