// `--set key=value` for the tools that render a stack with changed settings (plan, blast-radius):
// any key of the config schema (stacks/config.ts), checked the way `pulumi up` checks it, with a
// did-you-mean for a mistyped key.
import { closest, distance } from "fastest-levenshtein";
import { CONFIG_KEYS, ConfigKey, parseStackConfig } from "../stacks/config";

export const PROJECT = "karpenter-spark";

/** A mistake on the command line: the CLI prints the message alone and exits 2. */
export class UsageError extends Error {}

/** Every key --set accepts, as Pulumi's config map names them. */
export function settableKeys(): string[] {
    return ["aws:region", ...Object.keys(CONFIG_KEYS).map((k) => `${PROJECT}:${k}`)];
}

/** ` (did you mean X?)` when a candidate is close enough to be a typo. */
export function didYouMean(input: string, candidates: string[]): string {
    if (candidates.length === 0) {
        return "";
    }
    const best = closest(input, candidates);
    return distance(input.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean ${best}?)` : "";
}

/** `executorCpuLimit`, `karpenter-spark:executorCpuLimit` or `aws:region` to the config map's key. */
export function fullKey(key: string): string {
    const full = key.includes(":") ? key : `${PROJECT}:${key}`;
    if (!settableKeys().includes(full)) {
        const short = key.replace(`${PROJECT}:`, "");
        const hint = didYouMean(short, [...Object.keys(CONFIG_KEYS), "aws:region"]);
        throw new UsageError(`unknown config key "${key}"${hint}; the keys are those of stacks/config.ts (see the README's configuration table)`);
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
        throw new UsageError(`--set expects key=value, got "${expr}"`);
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
            throw new UsageError(`invalid ${key}: got ${JSON.stringify(wrong)}${didYouMean(wrong, choices)}; allowed: ${spec!.allowed}`);
        }
    }
    return [key, value];
}

/**
 * The stack's config map with the --set values applied, validated as the program would validate
 * it (so a bad value fails here, with the key, the value and what is allowed, before any render).
 */
export function applySets(config: Record<string, string>, sets: string[], stack: string): { config: Record<string, string>; changed: Record<string, string> } {
    const changed = Object.fromEntries(sets.map(parseSet));
    const next = { ...config, ...changed };
    try {
        parseStackConfig(next, PROJECT, stack);
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
    return { config: next, changed };
}
