// `npm run plan -- <stack> [--set key=value ...] [--against <stack or render folder>] [--json]`:
// what `pulumi up` would do, offline. Renders the stack as it is (or reads the other render) and
// the stack with the changes, and prints per resource + create, ~ update, +- replace, - delete,
// with the changed input paths and old => new values, secrets masked. Replacement comes from the
// table in tools/replaceOnChange.ts; the engine is tools/planDiff.ts.
import * as fs from "fs";
import * as path from "path";
import { createCommand, readJsonFile, runCli } from "./cli";
import { applySets, UsageError } from "./configOverrides";
import { diffRenders, formatPlan, Plan, PlanResource } from "./planDiff";
import { availableStacks, CONFIG_FLAG_HELP, readStackConfig, renderStack, resolveStack, ROOT, withConfigFlags } from "./render";

export interface PlanOptions {
    stack: string;
    sets?: string[];
    /** `--config KEY=VALUE` pairs applied on both sides, to the stack and to an --against stack (prod's API allow-list offline). */
    config?: string[];
    /** Another stack's name, or a folder written by `npm run render` (resources.json or registrations.json). */
    against?: string;
    root?: string;
}

export interface PlanResult extends Plan {
    stack: string;
    /** What the plan compares with: `stack <name>` or `render <folder>`. */
    against: string;
    sets: Record<string, string>;
}

/** The resources of a folder written by `npm run render` (registrations.json has dependencies and outputs; resources.json suffices). */
export function readRenderFolder(dir: string): PlanResource[] {
    for (const file of ["registrations.json", "resources.json"]) {
        const p = path.join(dir, file);
        if (fs.existsSync(p)) {
            const data = readJsonFile(p, "render file");
            if (!Array.isArray(data)) {
                throw new UsageError(`${p} is not a render's resource list`);
            }
            return data as PlanResource[];
        }
    }
    throw new UsageError(`"${dir}" has neither registrations.json nor resources.json; write one with npm run render -- <stack> --out ${dir}`);
}

/** Resolves --against: a stack with a Pulumi.<name>.yaml, else a render folder. */
async function baseline(o: PlanOptions, root: string, config: Record<string, string>): Promise<{ label: string; resources: PlanResource[] }> {
    if (o.against === undefined) {
        return { label: `stack ${o.stack} as configured`, resources: (await renderStack({ stack: o.stack, config })).registrations };
    }
    if (availableStacks(root).includes(o.against)) {
        const other = withConfigFlags(readStackConfig(o.against, root), o.config).config;
        return { label: `stack ${o.against}`, resources: (await renderStack({ stack: o.against, config: other })).registrations };
    }
    if (fs.existsSync(o.against) && fs.statSync(o.against).isDirectory()) {
        return { label: `render ${o.against}`, resources: readRenderFolder(o.against) };
    }
    throw new UsageError(`--against "${o.against}" is neither a stack (${availableStacks(root).join(", ")}) nor a render folder`);
}

/** Renders and diffs. Throws UsageError or RenderError for bad input. */
export async function plan(o: PlanOptions): Promise<PlanResult> {
    const root = o.root ?? ROOT;
    resolveStack(o.stack, root);
    const base = withConfigFlags(readStackConfig(o.stack, root), o.config);
    if (base.problems.length > 0) {
        throw new UsageError(base.problems);
    }
    const { config, changed } = applySets(base.config, o.sets ?? [], o.stack);
    const before = await baseline(o, root, base.config);
    const after = await renderStack({ stack: o.stack, config });
    return { stack: o.stack, against: before.label, sets: changed, ...diffRenders(before.resources, after.registrations) };
}

export function planHeader(r: PlanResult): string {
    const sets = Object.entries(r.sets).map(([k, v]) => `${k}=${v}`);
    return `Plan for stack "${r.stack}"${sets.length ? ` with ${sets.join(", ")}` : ""} against ${r.against} (offline: Pulumi's mock runtime, replacements from tools/replaceOnChange.ts)\n`;
}

/** `--set` collects every occurrence. */
export const collect = (v: string, acc: string[]) => [...acc, v];

export const command = () =>
    createCommand("plan", "What `pulumi up` would change, offline: + create, ~ update, +- replace, - delete, per resource with old => new input values (secrets masked).")
        .argument("<stack>", "the stack to plan: Pulumi.<stack>.yaml")
        .option("--set <key=value>", "change a config key (any key of stacks/config.ts; repeatable; lists as JSON or a,b,c)", collect, [] as string[])
        .option("--config <key=value...>", CONFIG_FLAG_HELP)
        .option("--against <stack|folder>", "compare with another stack, or with a folder written by npm run render (default: the stack as configured)")
        .option("--json", "print the plan as JSON for CI");

if (require.main === module) {
    // Pulumi's SDK records a full stack trace per resource (its source position), and ts-node's
    // source-map support maps every frame of it: about a third of the CPU time of a plan, for
    // positions the plan never shows. V8's own traces then, unless --debug asks for mapped ones.
    if (!process.argv.includes("--debug")) {
        (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    }
    runCli(command(), async (stack: string, opts: { set?: string[]; config?: string[]; against?: string; json?: boolean }) => {
        const result = await plan({ stack, sets: opts.set ?? [], config: opts.config, against: opts.against });
        console.log(opts.json ? JSON.stringify(result, null, 2) : `${planHeader(result)}${formatPlan(result)}`);
    });
}
