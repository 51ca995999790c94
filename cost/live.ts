// `npm run estimate -- <stack> --live`: current prices from the AWS APIs (needs AWS credentials).
// The parsers are pure and tested on real response samples (../shared/fixtures/ec2/aws-api).
import { Catalog } from "./catalog";

/** The instance facts DescribeInstanceTypes gives, in the catalog's terms. */
export interface LiveInstanceType {
    name: string;
    vcpu: number;
    memoryMiB: number;
    arch: string;
    localStorageGiB: number;
}

const ARCH: Record<string, string> = { x86_64: "amd64", arm64: "arm64" };

/** Parses an EC2 DescribeInstanceTypes response page. */
export function parseInstanceTypes(response: { InstanceTypes?: any[] }): LiveInstanceType[] {
    return (response.InstanceTypes ?? []).map((t) => ({
        name: t.InstanceType,
        vcpu: t.VCpuInfo?.DefaultVCpus,
        memoryMiB: t.MemoryInfo?.SizeInMiB,
        arch: ARCH[(t.ProcessorInfo?.SupportedArchitectures ?? []).find((a: string) => ARCH[a]) ?? ""] ?? "unknown",
        localStorageGiB: t.InstanceStorageInfo?.TotalSizeInGB ?? 0,
    }));
}

/** The latest Spot price of one instance type in each zone, with when it was observed (ms since epoch). */
export interface SpotObservation {
    usdPerHour: number;
    zones: Record<string, { price: number; at: number }>;
}

/** Per type, the cheapest zone's price among the latest observation of every zone. */
function cheapestZone(zones: Record<string, { price: number; at: number }>): number {
    return Math.min(...Object.values(zones).map((z) => z.price));
}

/** Parses a DescribeSpotPriceHistory page: per type, the latest price in each zone and the lowest of those. */
export function parseSpotPriceHistory(response: { SpotPriceHistory?: any[] }): Map<string, SpotObservation> {
    const out = new Map<string, SpotObservation>();
    for (const p of response.SpotPriceHistory ?? []) {
        if (p.ProductDescription && !String(p.ProductDescription).startsWith("Linux/UNIX")) {
            continue;
        }
        const observed: SpotObservation = { usdPerHour: Number(p.SpotPrice), zones: { [p.AvailabilityZone]: { price: Number(p.SpotPrice), at: new Date(p.Timestamp).getTime() } } };
        const prev = out.get(p.InstanceType);
        out.set(p.InstanceType, prev ? mergeSpotObservations(prev, observed) : observed);
    }
    return out;
}

/**
 * Merges two observations of one type (pages of the history come in no promised order): in each
 * zone the newer observation wins, whatever its price; the type's price is then the cheapest zone.
 */
export function mergeSpotObservations(a: SpotObservation, b: SpotObservation): SpotObservation {
    const zones = { ...a.zones };
    for (const [zone, seen] of Object.entries(b.zones)) {
        if (!zones[zone] || seen.at > zones[zone].at) {
            zones[zone] = seen;
        }
    }
    return { usdPerHour: cheapestZone(zones), zones };
}

/** Merges a page's observations into what earlier pages gave. */
export function mergeSpotPages(into: Map<string, SpotObservation>, page: Map<string, SpotObservation>): Map<string, SpotObservation> {
    for (const [type, seen] of page) {
        const prev = into.get(type);
        into.set(type, prev ? mergeSpotObservations(prev, seen) : seen);
    }
    return into;
}

/**
 * Parses Pricing GetProducts pages (PriceList items as JSON strings or objects): Linux, shared
 * tenancy, no pre-installed software, hourly On-Demand rate per instance type.
 */
export function parseOnDemandPrices(response: { PriceList?: (string | object)[] }): Map<string, number> {
    const out = new Map<string, number>();
    for (const item of response.PriceList ?? []) {
        const p = typeof item === "string" ? JSON.parse(item) : (item as any);
        const a = p.product?.attributes ?? {};
        if (a.operatingSystem !== "Linux" || a.tenancy !== "Shared" || a.preInstalledSw !== "NA" || (a.capacitystatus && a.capacitystatus !== "Used")) {
            continue;
        }
        for (const term of Object.values<any>(p.terms?.OnDemand ?? {})) {
            for (const dim of Object.values<any>(term.priceDimensions ?? {})) {
                if (dim.unit === "Hrs" && dim.pricePerUnit?.USD !== undefined) {
                    out.set(a.instanceType, Number(dim.pricePerUnit.USD));
                }
            }
        }
    }
    return out;
}

/** Replaces the catalog's prices for `region` with what the AWS APIs say now. */
export async function refreshCatalog(catalog: Catalog, region: string): Promise<Catalog> {
    const { EC2Client, paginateDescribeSpotPriceHistory } = await import("@aws-sdk/client-ec2");
    const { PricingClient, paginateGetProducts } = await import("@aws-sdk/client-pricing");
    const ec2 = new EC2Client({ region });
    const spot = new Map<string, SpotObservation>();
    const since = new Date(Date.now() - 3 * 3600 * 1000);
    for await (const page of paginateDescribeSpotPriceHistory({ client: ec2 }, { StartTime: since, ProductDescriptions: ["Linux/UNIX"] })) {
        mergeSpotPages(spot, parseSpotPriceHistory(page));
    }
    // The Price List API answers from us-east-1 for every region.
    const pricing = new PricingClient({ region: "us-east-1" });
    const onDemand = new Map<string, number>();
    const filters = [
        ["regionCode", region],
        ["operatingSystem", "Linux"],
        ["tenancy", "Shared"],
        ["preInstalledSw", "NA"],
        ["capacitystatus", "Used"],
    ].map(([Field, Value]) => ({ Type: "TERM_MATCH" as const, Field, Value }));
    for await (const page of paginateGetProducts({ client: pricing }, { ServiceCode: "AmazonEC2", Filters: filters })) {
        for (const [k, v] of parseOnDemandPrices(page)) {
            onDemand.set(k, v);
        }
    }
    return { ...catalog, live: { region, onDemand, spot: new Map([...spot].map(([k, v]) => [k, v.usdPerHour])) } };
}
