// `npm run render -- <stack>`: evaluates the Pulumi program (index.ts) with Pulumi.<stack>.yaml
// under Pulumi's mock runtime. No cloud call, no credentials, no Pulumi CLI.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { parse as parseYaml, stringify } from "yaml";
import { installMocks, Read, Registration } from "./mocks";

export const ROOT = path.join(__dirname, "..");
export const PROJECT = "karpenter-spark";

/** A render that cannot start or whose configuration is invalid: exit code 2. */
export class RenderError extends Error {
    /** What had been registered when the error was raised (the root stack, at most, for bad input). */
    constructor(
        message: string,
        readonly registrations: Registration[] = [],
    ) {
        super(message);
    }
}

export interface RenderResult {
    stack: string;
    region: string;
    registrations: Registration[];
    reads: Read[];
    outputs: Record<string, unknown>;
}

/** The stacks that have a Pulumi.<stack>.yaml. */
export function availableStacks(root = ROOT): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * Reads Pulumi.<stack>.yaml into Pulumi's config map (`namespace:key` to string), as the CLI
 * passes it to the program: strings as they are, everything else as JSON.
 */
export function readStackConfig(stack: string, root = ROOT, file?: string): Record<string, string> {
    file ??= path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new RenderError(`no stack "${stack}": ${path.basename(file)} does not exist; available stacks: ${availableStacks(root).join(", ")}`);
    }
    const doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    return Object.fromEntries(
        Object.entries(doc.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
}

/** Resolves an Output (or plain value) the way `pulumi stack output --json` shows it. */
async function resolveOutput(value: unknown): Promise<unknown> {
    if (!pulumi.Output.isInstance(value)) {
        return value;
    }
    if (await pulumi.isSecret(value)) {
        return "[secret]";
    }
    // In a preview an unknown Output never runs its apply callbacks.
    if (!(await (value as unknown as { isKnown: Promise<boolean> }).isKnown)) {
        return "[unknown]";
    }
    return new Promise((resolve) => value.apply((v) => resolve(v)));
}

export interface EvaluateOptions {
    stack: string;
    /** Pulumi's config map (`namespace:key` to string). */
    config: Record<string, string>;
    /** Outputs of the deployed stack (`pulumi stack output --json`), for a StackReference to the stack itself. */
    deployedOutputs?: Record<string, unknown>;
    /** Evaluate as `pulumi preview` of a new stack does: computed values unknown. */
    preview?: boolean;
}

/**
 * Runs a Pulumi program (a function that creates resources and returns the stack's outputs)
 * under the mocks and returns everything it registered. Configuration and argument errors become
 * RenderError; anything else is rethrown as it is.
 */
export async function evaluate(program: () => Promise<Record<string, unknown>> | Record<string, unknown>, o: EvaluateOptions): Promise<RenderResult> {
    const region = o.config["aws:region"] ?? "";
    const recorder = await installMocks({
        project: PROJECT,
        stack: o.stack,
        config: o.config,
        mocks: { region, previousOutputs: o.deployedOutputs, preview: o.preview },
    });
    // Errors raised inside the SDK's promise chains (a failing mock, an apply that throws)
    // surface as unhandled rejections; collect them instead of crashing mid-render.
    const asyncErrors: unknown[] = [];
    const onRejection = (e: unknown) => asyncErrors.push(e);
    process.on("unhandledRejection", onRejection);
    try {
        let exported: Record<string, unknown> = {};
        try {
            await pulumi.runtime.runInPulumiStack(async () => {
                exported = await program();
                return exported;
            });
        } catch (e) {
            if (e instanceof pulumi.RunError || pulumi.ResourceError.isInstance(e)) {
                throw new RenderError((e as Error).message, recorder.registrations);
            }
            throw e;
        } finally {
            await pulumi.runtime.disconnect();
        }
        if (asyncErrors.length > 0) {
            throw asyncErrors[0];
        }
        const outputs: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(exported ?? {})) {
            outputs[k] = await resolveOutput(v);
        }
        return { stack: o.stack, region, registrations: recorder.registrations, reads: recorder.reads, outputs };
    } finally {
        process.off("unhandledRejection", onRejection);
    }
}

export interface RenderOptions {
    stack: string;
    /** The config map; read from Pulumi.<stack>.yaml when unset. */
    config?: Record<string, string>;
    /** Outputs of the deployed stack (`pulumi stack output --json`), for the upgrade-path check. */
    deployedOutputs?: Record<string, unknown>;
    /** Evaluate as a preview of a new stack (computed values unknown). */
    preview?: boolean;
}

/** Runs this project's program (index.ts) for a stack under the mocks. */
export async function renderStack(o: RenderOptions): Promise<RenderResult> {
    // Loaded here, not at the top: the program must not touch the SDK before the mocks exist.
    const program = require("../index") as () => Promise<Record<string, unknown>>;
    return evaluate(program, { stack: o.stack, config: o.config ?? readStackConfig(o.stack), deployedOutputs: o.deployedOutputs, preview: o.preview });
}

const str = (v: unknown) => (v === undefined ? "" : String(v));

/** A one-line summary of the registrations where one helps a reviewer. */
export function summarize(r: Registration): string {
    const i = r.inputs as Record<string, any>;
    switch (r.type) {
        case "awsx:ec2:Vpc":
            return `${i.cidrBlock}, ${i.numberOfAvailabilityZones} AZs, NAT ${i.natGateways?.strategy}`;
        case "eks:index:Cluster":
            return `Kubernetes ${i.version}, auth ${i.authenticationMode}, logs [${(i.enabledClusterLogTypes ?? []).join(",")}], deletion protection ${i.deletionProtection}`;
        case "eks:index:ManagedNodeGroup":
            return `${i.scalingConfig?.desiredSize} x ${(i.instanceTypes ?? []).join("|")} ${i.capacityType}, taint ${(i.taints ?? []).map((t: any) => `${t.key}=${t.value}:${t.effect}`).join(",")}`;
        case "kubernetes:helm.sh/v3:Release":
            return `${i.chart}@${i.version}${i.repositoryOpts?.repo ? ` from ${i.repositoryOpts.repo}` : ""} in ${i.namespace}`;
        case "kubernetes:karpenter.sh/v1:NodePool": {
            const reqs = (i.spec?.template?.spec?.requirements ?? []).map(
                (q: any) => `${q.key.split("/").pop()} ${q.operator} ${q.values ? `[${q.values.join(",")}]` : ""}${q.minValues ? ` min ${q.minValues}` : ""}`.trim(),
            );
            return `${reqs.join("; ")}; limits ${JSON.stringify(i.spec?.limits)}; ${i.spec?.disruption?.consolidationPolicy} after ${i.spec?.disruption?.consolidateAfter}`;
        }
        case "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass":
            return `${i.spec?.amiSelectorTerms?.[0]?.alias}, role ${i.spec?.role}, IMDSv2 hop ${i.spec?.metadataOptions?.httpPutResponseHopLimit}, root ${i.spec?.blockDeviceMappings?.[0]?.ebs?.volumeSize} gp3 encrypted`;
        case "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication":
            return `Spark ${i.spec?.sparkVersion}, driver ${i.spec?.driver?.cores}c/${i.spec?.driver?.memory}, ${i.spec?.executor?.instances} executors ${i.spec?.executor?.cores}c/${i.spec?.executor?.memory}`;
        case "aws:sqs/queue:Queue":
            return `${i.name}, retention ${i.messageRetentionSeconds}s, SSE ${i.sqsManagedSseEnabled}`;
        case "aws:eks/accessEntry:AccessEntry":
            return `type ${i.type}`;
        case "aws:eks/podIdentityAssociation:PodIdentityAssociation":
            return `${i.namespace}/${i.serviceAccount}`;
        case "aws:iam/role:Role":
        case "aws:iam/policy:Policy":
            return str(i.name);
        default:
            return "";
    }
}

/** The resource tree: type, name, and a summary, children indented under their parent. */
export function resourceTree(registrations: Registration[]): string {
    const children = new Map<string | undefined, Registration[]>();
    for (const r of registrations) {
        const siblings = children.get(r.parent) ?? [];
        siblings.push(r);
        children.set(r.parent, siblings);
    }
    const lines: string[] = [];
    const walk = (parent: string | undefined, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            const summary = summarize(r);
            lines.push(`${"  ".repeat(depth)}${r.type}  ${r.name}${summary ? `  -- ${summary}` : ""}`);
            walk(r.urn, depth + 1);
        }
    };
    walk(undefined, 0);
    return lines.join("\n");
}

const KUBERNETES_NON_OBJECTS = new Set(["pulumi:providers:kubernetes", "kubernetes:helm.sh/v3:Release"]);

function fileSafe(s: string): string {
    return s.toLowerCase().replace(/[^a-z0-9.-]+/g, "-");
}

/** Writes resources.json, outputs.json and manifests/ under outDir (replacing what was there). */
export function writeRender(result: RenderResult, outDir: string): { manifests: number } {
    fs.rmSync(outDir, { recursive: true, force: true });
    const manifestDir = path.join(outDir, "manifests");
    fs.mkdirSync(manifestDir, { recursive: true });
    const resources = result.registrations.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? null, custom: r.custom, inputs: r.inputs }));
    fs.writeFileSync(path.join(outDir, "resources.json"), `${JSON.stringify(resources, null, 2)}\n`);
    fs.writeFileSync(path.join(outDir, "registrations.json"), `${JSON.stringify(result.registrations, null, 2)}\n`);
    fs.writeFileSync(path.join(outDir, "outputs.json"), `${JSON.stringify(result.outputs, null, 2)}\n`);
    let manifests = 0;
    for (const r of result.registrations) {
        const i = r.inputs as Record<string, any>;
        let file: string;
        let doc: unknown;
        if (r.type === "kubernetes:helm.sh/v3:Release") {
            file = `helm-release-${fileSafe(i.name)}.yaml`;
            doc = { chart: i.chart, repository: i.repositoryOpts?.repo ?? i.chart.split("/").slice(0, -1).join("/"), version: i.version, namespace: i.namespace, name: i.name, skipCrds: i.skipCrds ?? false, values: i.values ?? {} };
        } else if (r.type.startsWith("kubernetes:") && !KUBERNETES_NON_OBJECTS.has(r.type)) {
            const ns = i.metadata?.namespace ? `${i.metadata.namespace}-` : "";
            file = `${fileSafe(i.kind)}-${fileSafe(ns)}${fileSafe(i.metadata?.name ?? r.name)}.yaml`;
            const { apiVersion, kind, metadata, ...rest } = i;
            doc = { apiVersion, kind, metadata, ...rest };
        } else {
            continue;
        }
        fs.writeFileSync(path.join(manifestDir, file), stringify(doc, { lineWidth: 0 }));
        manifests++;
    }
    return { manifests };
}

async function main(argv: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
            out: { type: "string" },
            deployed: { type: "string" },
            "config-file": { type: "string" },
            quiet: { type: "boolean", default: false },
        },
    });
    const stack = positionals[0];
    if (!stack || positionals.length > 1) {
        throw new RenderError(
            `usage: npm run render -- <stack> [--config-file FILE] [--deployed OUTPUTS.json] [--out DIR] [--quiet]; available stacks: ${availableStacks().join(", ")}`,
        );
    }
    const deployedOutputs = values.deployed ? (JSON.parse(fs.readFileSync(values.deployed, "utf8")) as Record<string, unknown>) : undefined;
    const config = readStackConfig(stack, ROOT, values["config-file"]);
    console.log(`Offline render of stack "${stack}": Pulumi's mock runtime, no cloud calls, no credentials, nothing deployed.`);
    const started = Date.now();
    const result = await renderStack({ stack, config, deployedOutputs });
    const outDir = values.out ?? path.join(ROOT, "out", stack);
    const { manifests } = writeRender(result, outDir);
    if (!values.quiet) {
        console.log(resourceTree(result.registrations));
    }
    const rel = path.relative(process.cwd(), outDir) || ".";
    console.log(
        `\n${result.registrations.length} resources (${result.registrations.filter((r) => r.custom).length} custom), ${manifests} manifests` +
            ` -> ${rel}/resources.json, ${rel}/manifests/ (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e) => {
            if (e instanceof RenderError) {
                console.error(`error: ${e.message}`);
                process.exit(2);
            }
            console.error(e);
            process.exit(1);
        },
    );
}
