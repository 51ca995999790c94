// The multi-language package: Pulumi's analyser (the one `pulumi package add` runs) accepts the
// components' args and outputs, and every property carries its documentation.
import { expect } from "chai";
import * as fs from "fs";
import { packageSchema, SCHEMA_FILE } from "../../tools/schema";

describe("package schema (Pulumi's analyser, offline)", () => {
    let schema: Record<string, any>;
    before(async function () {
        // The analyser type-checks the library: ~10 s alone, minutes on a machine busy with other work.
        this.timeout(600_000);
        schema = await packageSchema();
    });

    it("has the four components under karpenter-spark:index tokens", () => {
        expect(schema.name).to.equal("karpenter-spark");
        expect(Object.keys(schema.resources).sort()).to.deep.equal([
            "karpenter-spark:index:KarpenterCluster",
            "karpenter-spark:index:SparkJob",
            "karpenter-spark:index:SparkOperator",
            "karpenter-spark:index:SpotExecutorPool",
        ]);
        for (const r of Object.values<any>(schema.resources)) {
            expect(r.isComponent).to.equal(true);
        }
    });

    it("requires only what each component cannot default", () => {
        const required = (t: string) => (schema.resources[`karpenter-spark:index:${t}`].requiredInputs ?? []).sort();
        expect(required("KarpenterCluster")).to.deep.equal([]);
        expect(required("SpotExecutorPool")).to.deep.equal(["clusterName", "nodeRoleName"]);
        expect(required("SparkOperator")).to.deep.equal(["clusterName"]);
        expect(required("SparkJob")).to.deep.equal(["driverPlacement", "executorPlacement", "executorPoolCpuLimit", "mainApplicationFile", "namespace", "region"]);
        const inputs = Object.keys(schema.resources["karpenter-spark:index:SpotExecutorPool"].inputProperties);
        expect(inputs).to.include.members(["executorInstanceCategories", "executorCapacityTypes", "executorCpuLimit", "driverCapacityTypes", "amiVersion"]);
    });

    it("takes other components' outputs as inputs (not plain), so Python and YAML programs can wire them", () => {
        const plain = (t: string, names: string[]) => names.filter((n) => schema.resources[`karpenter-spark:index:${t}`].inputProperties[n].plain);
        expect(plain("SpotExecutorPool", ["clusterName", "nodeRoleName"])).to.deep.equal([]);
        expect(plain("SparkOperator", ["clusterName", "driverPlacement", "executorPlacement", "systemNodeSelector", "systemTolerations"])).to.deep.equal([]);
        // Settings stay plain: they are validated before anything is registered.
        expect(schema.resources["karpenter-spark:index:SpotExecutorPool"].inputProperties.executorCpuLimit.plain).to.equal(true);
    });

    it("exposes each component's outputs", () => {
        const outputs = (t: string) => Object.keys(schema.resources[`karpenter-spark:index:${t}`].properties).sort();
        expect(outputs("KarpenterCluster")).to.include.members(["clusterName", "endpoint", "kubeconfig", "nodeRoleName", "interruptionQueueName", "discoveryTagValue", "oidcIssuer", "karpenterRelease"]);
        // A provider cannot be referenced as a component output; TypeScript gets it from an accessor.
        expect(outputs("KarpenterCluster")).to.not.include("kubernetesProvider");
        expect(outputs("SpotExecutorPool")).to.deep.equal(["driverNodePoolName", "driverPlacement", "executorCapacityTypes", "executorNodePoolName", "executorPlacement", "nodeClassName"]);
        expect(outputs("SparkOperator")).to.deep.equal(["eventLogBucketName", "eventLogDirectory", "exampleJobCommands", "historyServerServiceName", "jobNamespaces", "operatorNamespace", "region", "serviceAccountName", "uiAccessCommands"]);
        expect(schema.resources["karpenter-spark:index:KarpenterCluster"].properties.karpenterRelease.$ref).to.match(/^\/kubernetes\/v4\.\d+\.\d+\/schema\.json#\/resources\/kubernetes:helm\.sh%2Fv3:Release$/);
    });

    it("turns the as-const enums into schema enums", () => {
        expect(schema.types["karpenter-spark:index:CapacityType"].enum.map((e: any) => e.value)).to.deep.equal(["spot", "on-demand", "reserved"]);
        expect(schema.types["karpenter-spark:index:InstanceCategory"].enum.map((e: any) => e.value)).to.include.members(["c", "m", "r"]);
        expect(schema.resources["karpenter-spark:index:SpotExecutorPool"].inputProperties.executorCapacityTypes.items.$ref).to.equal("#/types/karpenter-spark:index:CapacityType");
    });

    it("documents every input, output and type property", () => {
        const missing: string[] = [];
        for (const [token, r] of Object.entries<any>(schema.resources)) {
            for (const [kind, props] of [["input", r.inputProperties], ["output", r.properties]] as const) {
                for (const [name, p] of Object.entries<any>(props ?? {})) {
                    if (!p.description) missing.push(`${token} ${kind} ${name}`);
                }
            }
            if (!r.description) missing.push(`${token} (the component)`);
        }
        for (const [token, t] of Object.entries<any>(schema.types)) {
            for (const [name, p] of Object.entries<any>(t.properties ?? {})) {
                if (!p.description) missing.push(`${token}.${name}`);
            }
        }
        expect(missing).to.deep.equal([]);
    });

    it("is the schema.json the README links (run `npm run schema` after changing an API)", () => {
        expect(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"))).to.deep.equal(schema);
    });
});
