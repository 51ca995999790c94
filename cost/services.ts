// What the stack pays for besides EC2 instances (EKS, NAT, EBS, KMS, CloudWatch, data transfer) and
// what the EMR alternatives charge, per region, from cost/service-prices.json.
import * as fs from "fs";
import * as path from "path";
import { EstimateError } from "./catalog";

export const SERVICE_PRICES_FILE = path.join(__dirname, "service-prices.json");

export interface ServicePrices {
    eksControlPlaneUsdPerHour: number;
    natGatewayUsdPerHour: number;
    natGatewayUsdPerGb: number;
    publicIpv4UsdPerHour: number;
    kmsKeyUsdPerMonth: number;
    gp3UsdPerGbMonth: number;
    cloudWatchLogsIngestUsdPerGb: number;
    cloudWatchLogsStorageUsdPerGbMonth: number;
    crossAzUsdPerGbEachWay: number;
    emrOnEksUsdPerVcpuHour: number;
    emrOnEksUsdPerGbHour: number;
    emrServerlessUsdPerVcpuHour: number;
    emrServerlessUsdPerGbHour: number;
}

export interface RegionServicePrices {
    region: string;
    prices: ServicePrices;
    /** Prices that are the us-east-1 list price times the region's EC2 ratio, not a regional list price. */
    scaled: (keyof ServicePrices)[];
    sources: Record<string, string>;
}

export function loadServicePrices(file = SERVICE_PRICES_FILE): { usEast1: ServicePrices; regional: Record<string, Partial<ServicePrices>>; flat: string[]; sources: Record<string, string> } {
    const raw = JSON.parse(fs.readFileSync(file, "utf8"));
    return { usEast1: raw.usEast1, regional: raw.regional, flat: raw.flatAcrossRegions, sources: raw._sources };
}

/** Service prices in `region`; `onDemandMultiplier` is the region's EC2 price ratio to us-east-1. */
export function regionServicePrices(region: string, onDemandMultiplier: number | undefined, file = SERVICE_PRICES_FILE): RegionServicePrices {
    const data = loadServicePrices(file);
    if (region === "us-east-1") {
        return { region, prices: { ...data.usEast1 }, scaled: [], sources: data.sources };
    }
    if (onDemandMultiplier === undefined) {
        throw new EstimateError(`invalid region: got ${JSON.stringify(region)}; no EC2 price ratio to scale its service prices by`);
    }
    const listed = data.regional[region] ?? {};
    const prices = { ...data.usEast1 };
    const scaled: (keyof ServicePrices)[] = [];
    for (const key of Object.keys(prices) as (keyof ServicePrices)[]) {
        if (listed[key] !== undefined) {
            prices[key] = listed[key] as number;
        } else if (!data.flat.includes(key)) {
            prices[key] = data.usEast1[key] * onDemandMultiplier;
            scaled.push(key);
        }
    }
    return { region, prices, scaled, sources: data.sources };
}
