// Stack names and Pulumi.<stack>.yaml files, as the tools read them: every problem in a stack file
// (YAML syntax, duplicate keys, a misspelt namespace or key, a value of the wrong type or out of
// range) is reported at once, one line each, with file:line:column.
import * as fs from "fs";
import * as path from "path";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { checkStackConfig, CONFIG_KEYS } from "../stacks/config";
import { checkStackName, nearest, readUserFile, UserError } from "./cli";

export const ROOT = path.join(__dirname, "..");
export const PROJECT = "karpenter-spark";

/**
 * Config namespaces a stack of this project may set: its own and those of the providers it uses
 * (each provider reads `<package>:<key>`, https://www.pulumi.com/docs/iac/concepts/config/#code).
 */
export const NAMESPACES = [PROJECT, "aws", "awsx", "eks", "kubernetes", "pulumi"];

/** The stacks that have a Pulumi.<stack>.yaml. */
export function availableStacks(root = ROOT): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * A stack name the user typed, checked against Pulumi's rules and against the stack files that
 * exist (with the nearest one suggested). `configFile` skips the existence check: the user named
 * the file.
 */
export function resolveStack(name: string, root = ROOT, configFile?: string): string {
    checkStackName(name);
    const stacks = availableStacks(root);
    if (configFile === undefined && !stacks.includes(name)) {
        const near = nearest(name, stacks);
        throw new UserError(
            `unknown stack ${JSON.stringify(name)} (no Pulumi.${name}.yaml)${near ? `; did you mean ${JSON.stringify(near)}?` : ""} available stacks: ${stacks.join(", ")}`,
        );
    }
    return name;
}

/** A path as the user should read it: relative to the working folder when inside it. */
function shown(file: string): string {
    const rel = path.relative(process.cwd(), file);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/**
 * Reads Pulumi.<stack>.yaml (or `file`) into Pulumi's config map (`namespace:key` to string), as
 * the CLI passes it to the program: strings as they are, everything else as JSON. Throws one
 * UserError listing every problem of the file.
 */
export function readStackConfig(stack: string, root = ROOT, file?: string): Record<string, string> {
    checkStackName(stack);
    file ??= path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new UserError(`unknown stack ${JSON.stringify(stack)}: ${shown(file)} does not exist; available stacks: ${availableStacks(root).join(", ")}`);
    }
    const text = readUserFile(file, "stack file");
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    const at = (offset: number | undefined) => {
        const p = lines.linePos(offset ?? 0);
        return `${shown(file!)}:${p.line}:${p.col}`;
    };
    const problems: string[] = [];
    for (const e of doc.errors) {
        const what = e.code === "DUPLICATE_KEY" ? "duplicate key (each key may appear once)" : `YAML syntax: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`;
        problems.push(`${at(e.pos[0])}: ${what}`);
    }
    if (problems.length > 0) {
        throw new UserError(problems);
    }
    const top = doc.contents;
    if (top !== null && !isMap(top)) {
        throw new UserError(`${at(0)}: a stack file is a mapping with a "config:" section`);
    }
    const configNode = top?.get("config", true);
    if (configNode === undefined || configNode === null || (isScalar(configNode) && configNode.value === null)) {
        throw new UserError(`${at(0)}: no "config:" section (set at least aws:region)`);
    }
    if (!isMap(configNode)) {
        throw new UserError(`${at(configNode.range?.[0])}: "config:" must be a mapping of namespace:key to value`);
    }
    const config: Record<string, string> = {};
    const positions: Record<string, number | undefined> = {};
    const keys = Object.keys(CONFIG_KEYS);
    for (const pair of configNode.items) {
        const keyNode = pair.key;
        const key = String(isScalar(keyNode) ? keyNode.value : keyNode);
        const offset = isScalar(keyNode) ? keyNode.range?.[0] : undefined;
        const colon = key.indexOf(":");
        if (colon <= 0) {
            const suggestion = keys.includes(key) ? `; did you mean "${PROJECT}:${key}"?` : "";
            problems.push(`${at(offset)}: config key ${JSON.stringify(key)} has no namespace (keys are namespace:key)${suggestion}`);
            continue;
        }
        const ns = key.slice(0, colon);
        const name = key.slice(colon + 1);
        if (!NAMESPACES.includes(ns)) {
            const near = nearest(ns, NAMESPACES);
            problems.push(`${at(offset)}: unknown config namespace ${JSON.stringify(ns)} in ${JSON.stringify(key)}${near ? `; did you mean "${near}:${name}"?` : `; allowed: ${NAMESPACES.join(", ")}`}`);
            continue;
        }
        if (ns === PROJECT && !keys.includes(name)) {
            const near = nearest(name, keys);
            problems.push(`${at(offset)}: unknown config key ${JSON.stringify(key)}${near ? `; did you mean "${PROJECT}:${near}"?` : "; see the config reference in README.md"}`);
            continue;
        }
        const value = pair.value;
        const plain = isScalar(value) ? value.value : (value as { toJSON(): unknown } | null)?.toJSON();
        config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
        positions[key] = offset;
    }
    // Values: the program's own validation (types, ranges, cross-key rules), every problem at once.
    const checked = checkStackConfig(config, PROJECT, stack);
    for (const p of checked.problems) {
        problems.push(`${at(positions[p.key] ?? configNode.range?.[0])}: ${p.message}`);
    }
    if (problems.length > 0) {
        throw new UserError(problems);
    }
    return config;
}

/** What `--config` does, the same in every tool that reads a stack. */
export const CONFIG_FLAG_HELP =
    "set config values on top of the stack file, as `pulumi config set` would (JSON for lists; repeatable); prod needs its API allow-list this way offline, e.g. --config 'karpenter-spark:endpointPublicAccessCidrs=[\"52.94.133.0/24\"]'";

/**
 * `--config KEY=VALUE` pairs applied on top of a stack's config map (prod ships a placeholder API
 * allow-list that the stack refuses; offline renders pass a value this way). Returns the config
 * with the pairs applied, and one problem line per malformed pair; the program validates the values.
 */
export function withConfigFlags(config: Record<string, string>, pairs: string[] = []): { config: Record<string, string>; problems: string[] } {
    const out = { ...config };
    const problems: string[] = [];
    for (const pair of pairs) {
        const eq = pair.indexOf("=");
        if (eq <= 0) {
            problems.push(`invalid --config: got ${JSON.stringify(pair)}; allowed: KEY=VALUE, e.g. --config 'karpenter-spark:endpointPublicAccessCidrs=["52.94.133.0/24"]'`);
        } else {
            out[pair.slice(0, eq)] = pair.slice(eq + 1);
        }
    }
    return { config: out, problems };
}
