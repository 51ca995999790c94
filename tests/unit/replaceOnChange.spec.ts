// The replace-on-change table against what is shipped in node_modules: the providers' schemas are
// not (pulumi-aws, -kubernetes, -eks and -awsx publish generated SDKs only), so every path is
// checked against the argument interfaces the installed SDKs declare, which the code generator
// writes from those schemas. A renamed or misspelt input fails here instead of silently never
// matching. And every type the stacks render has an entry, so no replacement goes unseen.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { KUBERNETES_DEFAULT, REMOTE_COMPONENTS, REPLACE_ON_CHANGE, hasReplaceData, replaceInputsOf, valuesAt } from "../../tools/replaceOnChange";
import { resourceTree } from "../../tools/render";
import { rendered } from "../helpers/render";

const MODULES = path.join(__dirname, "..", "..", "node_modules");

/** The .d.ts of a resource type in the installed SDK, and the name of its Args interface. */
function sdkFile(type: string): { file: string; args: string } {
    const [pkg, mod, name] = type.split(":");
    if (pkg === "pulumi" && mod === "providers") {
        return { file: path.join(MODULES, "@pulumi", name, "provider.d.ts"), args: "ProviderArgs" };
    }
    if (pkg === "kubernetes") {
        const [group, version] = mod.split("/");
        const dir = group === "core" ? "core" : group.split(".")[0];
        const file = path.join(MODULES, "@pulumi/kubernetes", dir, version, `${name[0].toLowerCase()}${name.slice(1)}.d.ts`);
        // Custom resources (NodePool, EC2NodeClass, SparkApplication) have no generated class.
        return fs.existsSync(file) ? { file, args: `${name}Args` } : { file: path.join(MODULES, "@pulumi/kubernetes/apiextensions/customResource.d.ts"), args: "CustomResourceArgs" };
    }
    if (pkg === "aws") {
        return { file: path.join(MODULES, "@pulumi/aws", mod.split("/")[0], `${mod.split("/")[1]}.d.ts`), args: `${name}Args` };
    }
    // eks:index:Cluster, awsx:ec2:Vpc
    const file = mod === "index" ? path.join(MODULES, "@pulumi", pkg, `${name[0].toLowerCase()}${name.slice(1)}.d.ts`) : path.join(MODULES, "@pulumi", pkg, mod, `${name[0].toLowerCase()}${name.slice(1)}.d.ts`);
    return { file, args: `${name}Args` };
}

/** Property names of an interface in a .d.ts file. */
function interfaceProperties(file: string, name: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const start = text.indexOf(`export interface ${name} {`);
    expect(start, `${name} in ${file}`).to.be.greaterThan(-1);
    const body = text.slice(start, text.indexOf("\n}", start));
    return [...body.matchAll(/^ {4}(?:readonly )?"?([A-Za-z_$][\w$]*)"?\??:/gm)].map((m) => m[1]);
}

/** Output properties of a component class (`readonly x: pulumi.Output<...>`). */
function classOutputs(file: string): string[] {
    return [...fs.readFileSync(file, "utf8").matchAll(/^ {4}readonly ([A-Za-z_$][\w$]*)!?:/gm)].map((m) => m[1]);
}

describe("replace-on-change table", () => {
    const entries = Object.entries(REPLACE_ON_CHANGE);

    it("cites a source for every entry", () => {
        for (const [type, rule] of [...entries, ...Object.entries(REMOTE_COMPONENTS)]) {
            expect(rule.source, type).to.match(/https:\/\//);
        }
    });

    for (const [type, rule] of entries) {
        it(`${type}: every replace-forcing input is an argument of the installed SDK`, () => {
            const { file, args } = sdkFile(type);
            expect(fs.existsSync(file), file).to.equal(true);
            const props = interfaceProperties(file, args);
            for (const input of rule.inputs) {
                expect(props, `${type} ${input.path}`).to.include(input.path.split(".")[0].replace("[]", ""));
            }
            if (rule.nameInput) {
                expect(props).to.include(rule.nameInput.split(".")[0]);
            }
        });
    }

    it("nested Kubernetes paths exist in the SDK's input types (Deployment spec.selector, Service spec.clusterIP)", () => {
        const text = fs.readFileSync(path.join(MODULES, "@pulumi/kubernetes/types/input.d.ts"), "utf8");
        const spec = (ns: string, iface: string) => {
            const nsStart = text.indexOf(`namespace ${ns} {`);
            const start = text.indexOf(`interface ${iface} {`, nsStart);
            return text.slice(start, text.indexOf("\n        }", start));
        };
        expect(spec("apps", "DeploymentSpec")).to.match(/\n\s+selector: /);
        expect(spec("core", "ServiceSpec")).to.match(/\n\s+clusterIP\?: /);
        expect(KUBERNETES_DEFAULT.inputs.map((i) => i.path)).to.deep.equal(["metadata.name", "metadata.namespace"]);
    });

    for (const [type, remote] of Object.entries(REMOTE_COMPONENTS)) {
        it(`${type}: replace-forcing inputs are component arguments, and the outputs they change are component outputs`, () => {
            const { file, args } = sdkFile(type);
            const props = interfaceProperties(file, args);
            const outputs = classOutputs(file);
            for (const input of remote.replaceInputs) {
                expect(props, `${type} ${input.path}`).to.include(input.path.split(".")[0].replace("[]", ""));
                for (const o of input.outputs) {
                    expect(outputs, `${type} output ${o}`).to.include(o);
                }
            }
            expect(remote.children.map((c) => c.type)).to.include(remote.primary === type ? remote.children[0].type : remote.primary);
        });
    }

    it("has an entry for every resource type dev and prod render", async () => {
        for (const stack of ["dev", "prod"]) {
            const r = await rendered(stack);
            const missing = r.registrations.filter((x) => (x.custom || x.remote) && !hasReplaceData(x.type)).map((x) => x.type);
            expect([...new Set(missing)], stack).to.deep.equal([]);
        }
    });

    it("the render draws remote components with the children they create and the inputs that replace them", async () => {
        const tree = resourceTree((await rendered("dev")).registrations);
        expect(tree).to.match(/awsx:ec2:Vpc {2}cluster-vpc[^\n]*\n +\[remote component: the render cannot see its children\] creates Vpc \(1\), Subnet /);
        expect(tree).to.match(/eks:index:Cluster {2}cluster-eks[^\n]*\n[^\n]*\n +replaces its Cluster \(the component as a whole\) on a change to: name, serviceRole, vpcId/);
        expect(tree).to.match(/replaces its Vpc \(the component as a whole\) on a change to: cidrBlock/);
        expect(tree).to.not.match(/NodePool {2}spark-pools-executors[^\n]*\n +\[remote/);
    });

    it("reads values at list paths", () => {
        const doc = { spec: { containers: [{ image: "a" }, { image: "b" }] } };
        expect(valuesAt(doc, "spec.containers[].image")).to.deep.equal(["a", "b"]);
        expect(valuesAt(doc, "spec.missing.x")).to.equal(undefined);
        expect(replaceInputsOf("kubernetes:example.com/v1:Anything").map((i) => i.path)).to.deep.equal(["metadata.name", "metadata.namespace"]);
        expect(replaceInputsOf("aws:unknown/thing:Thing")).to.deep.equal([]);
    });
});
