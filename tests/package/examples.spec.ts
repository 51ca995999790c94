// The Python and YAML examples name only what the package serves: every component type, argument,
// enum member and output they use exists in schema.json (the schema `pulumi package add` generates
// their SDKs from; tests/package/consume.spec.ts proves the packed package serves exactly it), and
// every required argument is given.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "../../tools/stackFiles";

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "schema.json"), "utf8"));
const TOKEN = (name: string) => `karpenter-spark:index:${name}`;
const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** Pulumi's Python SDK generator names enum members in UPPER_SNAKE_CASE of the member name. */
const upperSnake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();

/** The text between the parenthesis at `open` and its match. */
function balanced(text: string, open: number): string {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        if (text[i] === "(" || text[i] === "[" || text[i] === "{") depth++;
        if (text[i] === ")" || text[i] === "]" || text[i] === "}") depth--;
        if (depth === 0) return text.slice(open + 1, i);
    }
    throw new Error(`unbalanced call at ${open}`);
}

/** Keyword names at the top level of a Python argument list. */
function keywords(args: string): string[] {
    const names: string[] = [];
    let depth = 0;
    for (let i = 0; i < args.length; i++) {
        const ch = args[i];
        if ("([{".includes(ch)) depth++;
        if (")]}".includes(ch)) depth--;
        if (depth === 0) {
            const m = /^[\s,](\w+)\s*=(?!=)/.exec(args.slice(i));
            if (m && (i === 0 || /[\s,]/.test(args[i]))) names.push(m[1]);
        }
    }
    return names;
}

function problemsOfPython(source: string): { problems: string[]; checked: number } {
    const problems: string[] = [];
    let checked = 0;
    const variables = new Map<string, string>();
    for (const m of source.matchAll(/^(\w+)\s*=\s*ks\.(\w+)\(/gm)) {
        const [, variable, component] = m;
        const resource = schema.resources[TOKEN(component)];
        if (!resource) {
            problems.push(`ks.${component} is not a component of the schema`);
            continue;
        }
        variables.set(variable, component);
        const given = keywords(balanced(source, m.index! + m[0].length - 1)).filter((k) => k !== "opts");
        for (const k of given) {
            checked++;
            if (!(camel(k) in resource.inputProperties)) problems.push(`${component} has no input ${camel(k)} (python ${k})`);
        }
        for (const required of resource.requiredInputs ?? []) {
            if (!given.map(camel).includes(required)) problems.push(`${component} requires ${required}`);
        }
    }
    for (const m of source.matchAll(/\b(\w+)\.(\w+)\b/g)) {
        const component = variables.get(m[1]);
        if (component) {
            checked++;
            if (!(camel(m[2]) in schema.resources[TOKEN(component)].properties)) problems.push(`${component} has no output ${camel(m[2])} (python ${m[1]}.${m[2]})`);
        }
    }
    for (const m of source.matchAll(/\bks\.(\w+)\.(\w+)\b/g)) {
        const type = schema.types[TOKEN(m[1])];
        checked++;
        if (!type?.enum) problems.push(`ks.${m[1]} is not an enum of the schema`);
        else if (!type.enum.some((e: any) => upperSnake(e.name ?? e.value) === m[2])) problems.push(`${m[1]} has no member ${m[2]}`);
    }
    return { problems, checked };
}

function problemsOfYaml(doc: any): { problems: string[]; checked: number } {
    const problems: string[] = [];
    let checked = 0;
    const ours = new Map<string, string>();
    for (const [name, r] of Object.entries<any>(doc.resources ?? {})) {
        const m = /^karpenter-spark:(?:index:)?(\w+)$/.exec(r.type);
        if (m) ours.set(name, m[1]);
    }
    for (const [name, component] of ours) {
        const resource = schema.resources[TOKEN(component)];
        if (!resource) {
            problems.push(`${name}: karpenter-spark:${component} is not a component of the schema`);
            continue;
        }
        const properties = doc.resources[name].properties ?? {};
        for (const [k, v] of Object.entries<any>(properties)) {
            checked++;
            const spec = resource.inputProperties[k];
            if (!spec) {
                problems.push(`${name}: ${component} has no input ${k}`);
                continue;
            }
            const enumRef = spec.$ref ?? spec.items?.$ref;
            const enumType = enumRef ? schema.types[enumRef.replace("#/types/", "")] : undefined;
            for (const value of enumType?.enum && typeof v !== "string" ? [v].flat() : enumType?.enum && !String(v).startsWith("${") ? [v] : []) {
                if (!enumType.enum.some((e: any) => e.value === value)) problems.push(`${name}: ${k} value ${JSON.stringify(value)} is not one of ${enumType.enum.map((e: any) => e.value).join(", ")}`);
            }
        }
        for (const required of resource.requiredInputs ?? []) {
            if (!(required in properties)) problems.push(`${name}: ${component} requires ${required}`);
        }
    }
    for (const m of JSON.stringify(doc).matchAll(/\$\{(\w+)\.(\w+)\}/g)) {
        const component = ours.get(m[1]);
        if (component) {
            checked++;
            if (!(m[2] in schema.resources[TOKEN(component)].properties)) problems.push(`${component} has no output ${m[2]} (\${${m[1]}.${m[2]}})`);
        }
    }
    return { problems, checked };
}

describe("examples for other languages name only what schema.json has", () => {
    it("Python: components, keyword arguments, required arguments, enum members and outputs", () => {
        const { problems, checked } = problemsOfPython(fs.readFileSync(path.join(ROOT, "examples", "python", "__main__.py"), "utf8"));
        expect(problems).to.deep.equal([]);
        expect(checked).to.be.at.least(20);
    });

    it("YAML: component types, properties, enum values, required properties and outputs", () => {
        const doc = parse(fs.readFileSync(path.join(ROOT, "examples", "yaml", "Pulumi.yaml"), "utf8"));
        const { problems, checked } = problemsOfYaml(doc);
        expect(problems).to.deep.equal([]);
        expect(checked).to.be.at.least(15);
        expect(doc.packages).to.deep.equal({ "karpenter-spark": "../.." });
    });

    it("both examples take the package from this checkout, as `pulumi package add ../..` records it", () => {
        expect(parse(fs.readFileSync(path.join(ROOT, "examples", "python", "Pulumi.yaml"), "utf8")).packages).to.deep.equal({ "karpenter-spark": "../.." });
        expect(fs.existsSync(path.join(ROOT, "examples", "python", "..", "..", "PulumiPlugin.yaml"))).to.equal(true);
    });

    it("the checks catch a misspelt argument, a missing required one, a wrong enum member and an unknown output", () => {
        const py = problemsOfPython('c = ks.KarpenterCluster("c", cluster_nam="x", nat_gateways=ks.NatGatewayStrategy.DOUBLE)\np = ks.SpotExecutorPool("p", cluster_name=c.cluster_name)\nx = c.kube_config\n');
        expect(py.problems).to.deep.equal([
            "KarpenterCluster has no input clusterNam (python cluster_nam)",
            "SpotExecutorPool requires nodeRoleName",
            "KarpenterCluster has no output kubeConfig (python c.kube_config)",
            "NatGatewayStrategy has no member DOUBLE",
        ]);
        const yml = problemsOfYaml({ resources: { c: { type: "karpenter-spark:KarpenterCluster", properties: { natGateways: "Double", clusterNam: "x" } }, p: { type: "karpenter-spark:SparkOperator", properties: { clusterName: "${c.clusterNam}" } } } });
        expect(yml.problems).to.deep.equal([
            'c: natGateways value "Double" is not one of Single, OnePerAz',
            "c: KarpenterCluster has no input clusterNam",
            "KarpenterCluster has no output clusterNam (${c.clusterNam})",
        ]);
    });
});
