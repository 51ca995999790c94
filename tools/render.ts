// `npm run render -- <stack>`: evaluates the Pulumi program (program.ts) with Pulumi.<stack>.yaml
// under Pulumi's mock runtime. No cloud call, no credentials, no Pulumi CLI.
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { stringify } from "yaml";
import { createCommand, ProblemList, OutputDir, readJsonFile, runCli, UserError } from "./cli";
import { installMocks, MockOptions, Read, Registration } from "./mocks";
import { describeRemote } from "./replaceOnChange";
import { CONFIG_FLAG_HELP, PROJECT, readStackConfig, resolveStack, ROOT, withConfigFlags } from "./stackFiles";

export { availableStacks, CONFIG_FLAG_HELP, PROJECT, readStackConfig, resolveStack, ROOT, withConfigFlags } from "./stackFiles";

/** A render whose configuration or arguments are invalid: exit code 2, one line per problem. */
export class RenderError extends UserError {
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
    /** Extra mock behaviour (failed Helm upgrades, existing subnets' tags). */
    mocks?: Omit<MockOptions, "region" | "previousOutputs">;
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
        mocks: { ...o.mocks, region, previousOutputs: o.deployedOutputs, preview: o.preview },
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
        // A registration whose inputs failed (an apply that throws, as a check on resolved Outputs
        // does) rejects a tick later; the engine would fail the preview with it, so the render does.
        await new Promise((resolve) => setImmediate(resolve));
        if (asyncErrors.length > 0) {
            const e = asyncErrors[0];
            if (pulumi.ResourceError.isInstance(e)) {
                throw new RenderError((e as Error).message.replace(/^error serializing property "[^"]+": /, ""), recorder.registrations);
            }
            throw e;
        }
        const outputs: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(exported ?? {})) {
            outputs[k] = await resolveOutput(v);
        }
        return { stack: o.stack, region, registrations: recorder.registrations, reads: recorder.reads, outputs };
    } finally {
        // A failed program's other promises (the stack's outputs) reject a tick later: collected
        // here with the rest, not left to crash whatever runs next.
        await new Promise((resolve) => setImmediate(resolve));
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

/** Runs this project's program (program.ts) for a stack under the mocks. */
export async function renderStack(o: RenderOptions): Promise<RenderResult> {
    // Loaded here, not at the top: the program must not touch the SDK before the mocks exist.
    const program = require("../program") as () => Promise<Record<string, unknown>>;
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
            lines.push(...describeRemote(r.type).map((l) => `${"  ".repeat(depth + 2)}${l}`));
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

/**
 * Writes resources.json, registrations.json, outputs.json and manifests/ into `out` (replacing
 * only what an earlier render wrote there).
 */
export function writeRender(result: RenderResult, out: OutputDir): { manifests: number } {
    out.begin();
    const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
    const resources = result.registrations.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? null, custom: r.custom, inputs: r.inputs }));
    out.write("resources.json", json(resources));
    out.write("registrations.json", json(result.registrations));
    out.write("outputs.json", json(result.outputs));
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
        out.write(path.join("manifests", file), stringify(doc, { lineWidth: 0 }));
        manifests++;
    }
    return { manifests };
}

export const command = () =>
    createCommand("render", "Evaluate the Pulumi program for a stack under Pulumi's mock runtime (no cloud calls, no credentials) and write its resources and Kubernetes manifests.")
        .argument("<stack>", "stack name: Pulumi.<stack>.yaml is read (unless --config-file)")
        .option("--config-file <file>", "read the stack config from this file instead of Pulumi.<stack>.yaml")
        .option("--config <key=value...>", CONFIG_FLAG_HELP)
        .option("--deployed <outputs.json>", "outputs of the deployed stack (`pulumi stack output --json`), for the upgrade-path check")
        .option("--out <dir>", "output folder (default: out/<stack>); refused if it exists and render did not create it")
        .option("--quiet", "print only the summary, not the resource tree");

if (require.main === module) {
    runCli(command(), async (stackArg: string, opts: { configFile?: string; config?: string[]; deployed?: string; out?: string; quiet?: boolean }) => {
        const found = new ProblemList();
        // Every argument is checked before anything runs or is written, and all problems reported at once.
        const stack = resolveStack(stackArg, ROOT, opts.configFile);
        const fileConfig = found.attempt(() => readStackConfig(stack, ROOT, opts.configFile));
        // `--config KEY=VALUE` on top of the file (offline renders of prod pass an API allow-list
        // this way: Pulumi.prod.yaml ships a placeholder the stack refuses); the program validates the result.
        const flags = withConfigFlags(fileConfig ?? {}, opts.config);
        flags.problems.forEach((p) => found.push(p));
        const config = fileConfig && flags.config;
        const deployedOutputs = opts.deployed === undefined ? undefined : found.attempt(() => readJsonFile(opts.deployed!, "--deployed file") as Record<string, unknown>);
        const out = found.attempt(() => new OutputDir(path.resolve(opts.out ?? path.join(ROOT, "out", stack)), "render"));
        if (found.problems.length > 0 || !config || !out) {
            throw new UserError(found.problems);
        }
        console.log(`Offline render of stack "${stack}": Pulumi's mock runtime, no cloud calls, no credentials, nothing deployed.`);
        const started = Date.now();
        const result = await renderStack({ stack, config, deployedOutputs });
        const { manifests } = writeRender(result, out);
        if (!opts.quiet) {
            console.log(resourceTree(result.registrations));
        }
        const rel = path.relative(process.cwd(), out.dir) || ".";
        console.log(
            `\n${result.registrations.length} resources (${result.registrations.filter((r) => r.custom).length} custom), ${manifests} manifests` +
                ` -> ${rel}/resources.json, ${rel}/manifests/ (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        );
    });
}
