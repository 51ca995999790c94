import { expect } from "chai";
import * as fs from "fs";
import { CONFIG_KEYS, ConfigKey, parseStackConfig } from "../../stacks/config";
import { PULUMI_YAML, README, renderPulumiYaml, renderReadme } from "../../tools/pulumiYaml";
import { readStackConfig } from "../../tools/render";

describe("stack configuration", () => {
    it("Pulumi.yaml declares exactly the keys stacks/config.ts reads, with the same types, descriptions and defaults", () => {
        expect(fs.readFileSync(PULUMI_YAML, "utf8"), "run `npm run gen:config`").to.equal(renderPulumiYaml());
    });

    it("README.md's config reference lists every key with its default and the dev and prod values", () => {
        const readme = fs.readFileSync(README, "utf8");
        expect(readme, "run `npm run gen:config`").to.equal(renderReadme(readme));
    });

    it("documents every key: a description, what is allowed, a default", () => {
        for (const [key, spec] of Object.entries(CONFIG_KEYS) as [string, ConfigKey][]) {
            expect(spec.description.length, key).to.be.greaterThan(20);
            expect(spec.allowed.length, key).to.be.greaterThan(5);
            expect(spec, key).to.have.property("default");
        }
    });

    it("reads dev as a small, cheap stack", () => {
        const c = parseStackConfig(readStackConfig("dev"), "karpenter-spark", "dev");
        expect(c).to.include({ region: "us-west-2", clusterName: "karpenter-spark-dev", executorCpuLimit: 256, natGateways: "Single", systemNodeCount: 1 });
        expect(c).to.include({ deletionProtection: false, protectEventLogs: false, highAvailability: false, deployExampleJob: true });
        expect(c.executorInstanceCategories).to.deep.equal(["c", "m", "r"]);
        expect(c.executorCapacityTypes).to.deep.equal(["spot"]);
    });

    it("reads prod with the seed's 1000-vCPU ceiling and HA settings", () => {
        const c = parseStackConfig(readStackConfig("prod"), "karpenter-spark", "prod");
        expect(c).to.include({ region: "us-east-1", executorCpuLimit: 1000, natGateways: "OnePerAz", systemNodeCount: 3, karpenterReplicas: 2 });
        expect(c).to.include({ highAvailability: true, deletionProtection: true, protectEventLogs: true, controlPlaneLogging: true, secretsEncryption: true });
        // A placeholder the stack refuses (tests/unit/refusals.config.spec.ts): never open, never usable as shipped.
        expect(c.endpointPublicAccessCidrs).to.deep.equal(["203.0.113.0/24"]);
    });

    it("applies every default when only the region is set", () => {
        const c = parseStackConfig({ "aws:region": "eu-west-1" }, "karpenter-spark", "qa");
        expect(c).to.include({ clusterName: "karpenter-spark-qa", kubernetesVersion: "1.35", karpenterVersion: "1.14.1", sparkOperatorVersion: "2.5.2" });
        expect(c).to.include({ executorCpuLimit: 1000, executorGenerationGreaterThan: 4, executorConsolidateAfter: "0s", executorExpireAfter: "720h" });
        expect(c.executorInstanceFamilies).to.equal(undefined);
        expect(c.executorMemoryLimitGi).to.equal(undefined);
        expect(c.executorTerminationGracePeriod).to.equal(undefined);
    });

    it("parses config values the way Pulumi stores them (strings, JSON for lists)", () => {
        const c = parseStackConfig(
            {
                "aws:region": "ap-southeast-5",
                "karpenter-spark:executorArchitectures": '["amd64","arm64"]',
                "karpenter-spark:executorCapacityTypes": '["spot","on-demand"]',
                "karpenter-spark:executorMemoryLimitGi": "4000",
                "karpenter-spark:instanceStoreRaid0": "true",
                "karpenter-spark:clusterName": "analytics_prod-1",
            },
            "karpenter-spark",
            "x",
        );
        expect(c).to.include({ executorMemoryLimitGi: 4000, instanceStoreRaid0: true, clusterName: "analytics_prod-1" });
        expect(c.executorArchitectures).to.deep.equal(["amd64", "arm64"]);
    });
});
