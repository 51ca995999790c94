// `--set key=value` for the tools that render a stack with changed settings (plan, blast-radius):
// any key of the config schema (stacks/config.ts), checked the way `pulumi up` checks it, with a
// did-you-mean for a mistyped key.
import { checkStackConfig, CONFIG_KEYS, ConfigKey } from "../stacks/config";
import { didYouMean, UserError } from "./cli";
import { PROJECT } from "./stackFiles";

export { PROJECT };

/** A mistake on the command line: exit 2, one line per problem (tools/cli.ts). */
export class UsageError extends UserError {}

/** Every key --set accepts, as Pulumi's config map names them. */
export function settableKeys(): string[] {
    return ["aws:region", ...Object.keys(CONFIG_KEYS).map((k) => `${PROJECT}:${k}`)];
}

/** `executorCpuLimit`, `karpenter-spark:executorCpuLimit` or `aws:region` to the config map's key. */
export function fullKey(key: string): string {
    const full = key.includes(":") ? key : `${PROJECT}:${key}`;
    if (!settableKeys().includes(full)) {
        const short = key.replace(`${PROJECT}:`, "");
        const hint = didYouMean(short, [...Object.keys(CONFIG_KEYS), "aws:region"]);
        throw new UsageError(`--set: unknown config key ${JSON.stringify(key)} (not in stacks/config.ts, the README's configuration table)${hint}`);
    }
    return full;
}

/** A JSON list, or nothing (the config check reports a malformed one). */
function jsonList(value: string): unknown[] {
    try {
        const parsed: unknown = JSON.parse(value);
        return Array.isArray(parsed) ? parsed : [];
    } catch {
        return [];
    }
}

/**
 * `key=value` to a config map entry. Lists may be JSON (`["c","m"]`) or comma-separated (`c,m`);
 * the value is kept as the string Pulumi's config map would hold.
 */
export function parseSet(expr: string): [string, string] {
    const eq = expr.indexOf("=");
    if (eq <= 0) {
        throw new UsageError(`--set expects key=value, got ${JSON.stringify(expr)}`);
    }
    const key = fullKey(expr.slice(0, eq).trim());
    let value = expr.slice(eq + 1).trim();
    const spec: ConfigKey | undefined = CONFIG_KEYS[key.replace(`${PROJECT}:`, "") as keyof typeof CONFIG_KEYS];
    if (spec?.type === "array" && !value.startsWith("[")) {
        value = JSON.stringify(value === "" ? [] : value.split(",").map((v) => v.trim()));
    }
    const choices = (spec?.schema.enum ?? (spec?.schema.items as { enum?: string[] } | undefined)?.enum) as string[] | undefined;
    if (choices) {
        const given = spec!.type === "array" ? jsonList(value) : [value];
        const wrong = given.find((v) => typeof v === "string" && !choices.includes(v));
        if (typeof wrong === "string") {
            throw new UsageError(`--set: invalid ${key}: got ${JSON.stringify(wrong)}${didYouMean(wrong, choices)}; allowed: ${spec!.allowed}`);
        }
    }
    return [key, value];
}

/**
 * The stack's config map with the --set values applied, validated as the program would validate
 * it (so a bad value fails here, with the key, the value and what is allowed, before any render).
 */
export function applySets(config: Record<string, string>, sets: string[], stack: string): { config: Record<string, string>; changed: Record<string, string> } {
    const problems: string[] = [];
    const entries = sets.flatMap((expr) => {
        try {
            return [parseSet(expr)];
        } catch (e) {
            if (e instanceof UserError) {
                problems.push(...e.problems);
                return [];
            }
            throw e;
        }
    });
    const changed = Object.fromEntries(entries);
    const next = { ...config, ...changed };
    if (problems.length === 0) {
        problems.push(...checkStackConfig(next, PROJECT, stack).problems.map((p) => `${p.key in changed ? "--set: " : ""}${p.message}`));
    }
    if (problems.length > 0) {
        throw new UsageError(problems);
    }
    return { config: next, changed };
}
