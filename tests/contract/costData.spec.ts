import { expect } from "chai";
import * as fs from "fs";
import { buildCatalog, CATALOG_FILE } from "../../cost/buildCatalog";
import { mergeSpotPages, parseInstanceTypes, parseOnDemandPrices, parseSpotPriceHistory } from "../../cost/live";
import { describeContract, jsonFixture, readFixture } from "../helpers/fixtures";

describeContract("contract: the estimator's data and the AWS API parsers", () => {
    it("the committed catalog is what cost/buildCatalog.ts derives from ../shared/fixtures/ec2", () => {
        expect(JSON.parse(fs.readFileSync(CATALOG_FILE, "utf8")), "run `npm run build:catalog`").to.deep.equal(JSON.parse(JSON.stringify(buildCatalog())));
    });

    it("agrees with the fixture table on a sample of rows", () => {
        const table = jsonFixture("ec2/ec2_instance_types_karpenter_v1.14.json").instance_types;
        const catalog = buildCatalog();
        for (const name of ["m5.large", "r7g.4xlarge", "c6id.8xlarge", "m7i.48xlarge"]) {
            const row = catalog.types[name];
            expect(row[0], name).to.equal(table[name].vcpu);
            expect(row[1], name).to.equal(table[name].memory_mib);
            expect(row[11], name).to.equal(table[name].on_demand_usd_per_hour_us_east_1);
        }
    });

    it("parses DescribeInstanceTypes", () => {
        const types = parseInstanceTypes(jsonFixture("ec2/aws-api/ec2_describe_instance_types_25_instances.json"));
        expect(types).to.have.length(25);
        expect(types.find((t) => t.name === "a1.2xlarge")).to.deep.equal({ name: "a1.2xlarge", vcpu: 8, memoryMiB: 16384, arch: "arm64", localStorageGiB: 0 });
        expect(types.find((t) => t.name === "c5.large")).to.include({ vcpu: 2, memoryMiB: 4096, arch: "amd64" });
        expect(types.find((t) => t.name === "c1.medium")!.localStorageGiB).to.equal(350);
    });

    it("parses DescribeSpotPriceHistory into the latest price per zone and the lowest of them", () => {
        const raw = jsonFixture("ec2/aws-api/ec2_describe_spot_price_history_m5_large.json");
        const parsed = parseSpotPriceHistory(raw).get("m5.large")!;
        // Worked out from the sample: for each zone, the entry with the newest Timestamp.
        const latest: Record<string, { t: string; p: number }> = {};
        for (const e of raw.SpotPriceHistory) {
            if (!latest[e.AvailabilityZone] || e.Timestamp > latest[e.AvailabilityZone].t) {
                latest[e.AvailabilityZone] = { t: e.Timestamp, p: Number(e.SpotPrice) };
            }
        }
        expect(Object.fromEntries(Object.entries(parsed.zones).map(([z, v]) => [z, v.price]))).to.deep.equal(Object.fromEntries(Object.entries(latest).map(([z, v]) => [z, v.p])));
        expect(parsed.usdPerHour).to.equal(Math.min(...Object.values(latest).map((v) => v.p)));
        expect(Object.keys(parsed.zones).length).to.be.greaterThan(1);
    });

    it("merges pages by taking each zone's newer observation, even when an older one was cheaper", () => {
        const raw = jsonFixture("ec2/aws-api/ec2_describe_spot_price_history_m5_large.json");
        const entries = [...raw.SpotPriceHistory].sort((a: any, b: any) => String(a.Timestamp).localeCompare(String(b.Timestamp)));
        const zone = entries[entries.length - 1].AvailabilityZone;
        const newest = entries.filter((e: any) => e.AvailabilityZone === zone).pop();
        // An older page for the same zone at a lower price than the newest observation.
        const older = { ...newest, Timestamp: new Date(new Date(newest.Timestamp).getTime() - 3600_000).toISOString(), SpotPrice: String(Number(newest.SpotPrice) / 2) };
        for (const pages of [[[newest], [older]], [[older], [newest]]]) {
            const merged = pages.reduce((m, page) => mergeSpotPages(m, parseSpotPriceHistory({ SpotPriceHistory: page })), new Map());
            expect(merged.get("m5.large")!.zones[zone].price).to.equal(Number(newest.SpotPrice));
            expect(merged.get("m5.large")!.usdPerHour).to.equal(Number(newest.SpotPrice));
        }
        // Within one page too.
        expect(parseSpotPriceHistory({ SpotPriceHistory: [older, newest] }).get("m5.large")!.usdPerHour).to.equal(Number(newest.SpotPrice));
    });

    it("parses Pricing GetProducts (PriceList items as JSON strings)", () => {
        const item = readFixture("ec2/aws-api/pricing_get_products_m5_large.json");
        expect([...parseOnDemandPrices({ PriceList: [item] })]).to.deep.equal([["m5.large", 0.096]]);
        const windows = JSON.parse(item);
        windows.product.attributes.operatingSystem = "Windows";
        expect(parseOnDemandPrices({ PriceList: [JSON.stringify(windows)] }).size).to.equal(0);
    });
});
