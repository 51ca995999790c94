// Python, YAML, Go and .NET programs can only pass another resource's output (a subnet id, a VPC
// id, a role name or ARN, a bucket name) where the schema says the input is not plain. Every input
// whose name says it is such a value is an Input, or its documentation says why it must be plain.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../../tools/stackFiles";

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "schema.json"), "utf8"));
/** Names of values other resources produce. */
const PRODUCED = /(Id|Ids|Arn|Arns|RoleName|BucketName|SubnetIds|VpcId)$|^clusterName$/;

/** Every input property, nested types' properties included, as [where, name, spec]. */
function inputs(): [string, string, any][] {
    const out: [string, string, any][] = [];
    for (const [token, r] of Object.entries<any>(schema.resources)) {
        for (const [name, p] of Object.entries<any>(r.inputProperties ?? {})) out.push([token, name, p]);
    }
    for (const [token, t] of Object.entries<any>(schema.types)) {
        for (const [name, p] of Object.entries<any>(t.properties ?? {})) out.push([token, name, p]);
    }
    return out;
}

describe("inputs that other resources produce are pulumi.Inputs (or say why not)", () => {
    it("takes ids, names and ARNs of other resources as Inputs, or documents why they are plain", () => {
        const undocumented = inputs()
            .filter(([, name]) => PRODUCED.test(name))
            .filter(([, , p]) => (p.plain || p.items?.plain) && !/Plain,\s+not\s+an\s+Input|the\s+list\s+itself\s+is\s+plain/.test(p.description ?? ""))
            .map(([token, name]) => `${token}.${name}`);
        expect(undocumented).to.deep.equal([]);
    });

    it("lets the wiring between components, and an existing VPC, come from outputs", () => {
        const r = (t: string) => schema.resources[`karpenter-spark:index:${t}`].inputProperties;
        const notPlain = (p: any) => !p.plain;
        expect(notPlain(r("SpotExecutorPool").clusterName) && notPlain(r("SpotExecutorPool").nodeRoleName)).to.equal(true);
        expect(["clusterName", "driverPlacement", "executorPlacement", "systemNodeSelector", "systemTolerations"].filter((k) => r("SparkOperator")[k].plain)).to.deep.equal([]);
        expect(r("KarpenterCluster").existingVpcId.plain).to.equal(undefined);
        expect(r("KarpenterCluster").existingPrivateSubnetIds.items.plain).to.equal(undefined);
    });
});
