import * as pulumi from "@pulumi/pulumi";
import { closest, distance } from "fastest-levenshtein";

// The one validation path of the project. Every check names the argument (or config key), shows
// the bad value, says what is allowed and, where a near value exists, suggests it. The checks
// collect every problem and the component throws them all at once, before it calls `super()`:
// a rejected component registers nothing, so a bad argument never leaves a half-made stack.
// The stack runs the same functions on its config before constructing anything (stacks/platform.ts).

/** Formats a value for an error message exactly as the user wrote it (strings quoted). */
export function show(value: unknown): string {
    if (value === undefined) {
        return "nothing";
    }
    return JSON.stringify(value);
}

/** The one sentence shape used by every validation error in the project. */
export function invalidMessage(subject: string, value: unknown, allowed: string): string {
    return `invalid ${subject}: got ${show(value)}; allowed: ${allowed}`;
}

/** The nearest of `candidates` to `value` when it is close enough to be a typo, else undefined. */
export function didYouMean(value: unknown, candidates: readonly string[]): string | undefined {
    if (typeof value !== "string" || value === "" || candidates.length === 0 || candidates.includes(value)) {
        return undefined;
    }
    const lower = candidates.map((c) => c.toLowerCase());
    const near = closest(value.toLowerCase(), lower);
    return distance(value.toLowerCase(), near) <= Math.max(2, Math.floor(value.length / 3)) ? candidates[lower.indexOf(near)] : undefined;
}

/** " (did you mean "x"?)" for the first of `values` that is a near miss, or "". */
export function suggestion(values: unknown, candidates: readonly string[]): string {
    const list = Array.isArray(values) ? values : [values];
    for (const v of list) {
        const near = didYouMean(v, candidates);
        if (near !== undefined) {
            return ` (did you mean ${JSON.stringify(near)} for ${JSON.stringify(v)}?)`;
        }
    }
    return "";
}

/** One rejected input: the argument or config key (a path such as `tags["aws:x"]` where it helps). */
export interface Problem {
    subject: string;
    value: unknown;
    allowed: string;
}

/** The message of one problem. */
export function problemMessage(p: Problem): string {
    return invalidMessage(p.subject, p.value, p.allowed);
}

/** Collects problems; `add` never throws, so a check goes on and reports everything at once. */
export class Problems {
    readonly list: Problem[] = [];

    add(subject: string, value: unknown, allowed: string): void {
        this.list.push({ subject, value, allowed });
    }

    /** Adds problems found by another check, their subjects prefixed (e.g. with the argument they sit under). */
    addAll(problems: Problem[], prefix = ""): void {
        for (const p of problems) {
            this.list.push({ ...p, subject: `${prefix}${p.subject}` });
        }
    }
}

/** The region components validate against when no `region` argument is given: the stack's aws:region. */
export function defaultRegion(): string | undefined {
    return new pulumi.Config("aws").get("region");
}

/**
 * Invalid component arguments: every problem, one line each, each naming the component. Pulumi
 * prints a ResourceError without a stack trace; the stack reads `problems` to name its config keys.
 */
export class InvalidArgumentsError extends pulumi.ResourceError {
    constructor(
        readonly component: string,
        readonly componentName: string,
        readonly problems: Problem[],
    ) {
        super(problems.map((p) => `${component} "${componentName}": ${problemMessage(p)}`).join("\n"), undefined, true);
    }
}

/** Throws an InvalidArgumentsError when there is any problem. */
export function throwIfProblems(component: string, name: string, problems: Problem[]): void {
    if (problems.length > 0) {
        throw new InvalidArgumentsError(component, name, problems);
    }
}

/**
 * The args object itself: a component constructed without one (`new X("n")` from JavaScript,
 * `None` from Python) fails with this one message rather than a TypeError deep inside.
 */
export function requireArgsObject(component: string, name: string, args: unknown, required: string): void {
    if (typeof name !== "string" || name === "") {
        throw new InvalidArgumentsError(component, String(name), [{ subject: "name", value: name, allowed: "a non-empty resource name" }]);
    }
    if (args === null || typeof args !== "object" || Array.isArray(args)) {
        throw new InvalidArgumentsError(component, name, [{ subject: "args", value: args, allowed: `an object of arguments with at least ${required}` }]);
    }
}

// Patterns shared by the component checks and the stack config schema.
/** A release version as Helm charts publish them: `1.14.1`, `2.5.2`, `1.15.0-rc.1`. */
export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;
/** An EKS cluster name: 1-100 letters, digits, hyphens and underscores, starting with a letter or digit. */
export const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
/** A Kubernetes minor version as EKS takes it: `1.35`. */
export const KUBERNETES_VERSION = /^1\.(\d+)$/;
/** A DNS-1123 label, the form of a Kubernetes namespace name. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A Karpenter duration as the NodePool CRD accepts it for consolidateAfter and expireAfter. */
export const KARPENTER_DURATION_OR_NEVER = /^(([0-9]+(s|m|h))+|Never)$/;
/** A Karpenter duration as the NodePool CRD accepts it for terminationGracePeriod. */
export const KARPENTER_DURATION = /^([0-9]+(s|m|h))+$/;
/** A disruption budget's node count: a whole number or a percentage (the NodePool CRD's pattern). */
export const KARPENTER_BUDGET_NODES = /^((100|[0-9]{1,2})%|[0-9]+)$/;
/** An EKS-optimised AL2023 AMI release as Karpenter's alias takes it: `v20260714`, or `latest`. */
export const AL2023_AMI_VERSION = /^(v\d{8}|latest)$/;
/**
 * A JVM memory amount as Spark parses it (`JavaUtils.byteStringAs`): digits and an optional
 * unit b, k, kb, m, mb, g, gb, t, tb, p or pb, any case. Kubernetes suffixes like `512Mi` fail.
 */
export const SPARK_MEMORY = /^[0-9]+([kKmMgGtTpP][bB]?|[bB])?$/;
/** A container image reference: registry/repository[:tag][@digest]. */
export const CONTAINER_IMAGE = /^[a-z0-9]+([._\-/:@][a-zA-Z0-9._\-]+)+$/;
/** An IPv4 CIDR block. */
export const IPV4_CIDR = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(3[0-2]|[12]?\d)$/;

/**
 * Checks the arguments of one component instance. The component type and instance name prefix
 * every message, so that in a stack with several pools the user knows which one is wrong. Every
 * method records a problem and returns a harmless value of the right type, so checking goes on;
 * `done()` throws them all.
 */
export class ArgChecker {
    readonly problems = new Problems();

    constructor(
        private readonly component: string,
        private readonly name: string,
    ) {}

    /** Records a problem with `arg`. */
    fail(arg: string, value: unknown, allowed: string): void {
        this.problems.add(arg, value, allowed);
    }

    /** Throws every problem found, if any. */
    done(): void {
        throwIfProblems(this.component, this.name, this.problems.list);
    }

    string(arg: string, value: unknown, pattern: RegExp, allowed: string): string {
        if (typeof value !== "string" || !pattern.test(value)) {
            this.fail(arg, value, allowed);
            return typeof value === "string" ? value : "";
        }
        return value;
    }

    integer(arg: string, value: unknown, min: number, max: number): number {
        if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
            this.fail(arg, value, `a whole number from ${min} to ${max}`);
            return min;
        }
        return value;
    }

    positiveNumber(arg: string, value: unknown, example: string): number {
        if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
            this.fail(arg, value, `a number greater than 0, e.g. ${example}`);
            return 1;
        }
        return value;
    }

    boolean(arg: string, value: unknown): boolean {
        if (typeof value !== "boolean") {
            this.fail(arg, value, "true or false");
            return false;
        }
        return value;
    }

    oneOf<T extends string>(arg: string, value: unknown, allowed: Record<string, T>): T {
        const values = Object.values(allowed) as string[];
        if (typeof value !== "string" || !values.includes(value)) {
            this.fail(arg, value, `one of ${values.map((v) => show(v)).join(", ")}${suggestion(value, values)}`);
            return values[0] as T;
        }
        return value as T;
    }

    /** A non-empty list without duplicates whose every item is one of `allowed`. */
    listOf<T extends string>(arg: string, value: unknown, allowed: Record<string, T>): T[] {
        const values = Object.values(allowed) as string[];
        const describe = `a non-empty list of distinct values from ${values.map((v) => show(v)).join(", ")}`;
        if (!Array.isArray(value) || value.length === 0 || new Set(value).size !== value.length) {
            this.fail(arg, value, describe);
            return Array.isArray(value) ? (value.filter((v) => values.includes(v)) as T[]) : [];
        }
        const unknown = value.filter((item) => typeof item !== "string" || !values.includes(item));
        if (unknown.length > 0) {
            this.fail(arg, value, `${describe}${suggestion(unknown, values)}`);
            return value.filter((v) => values.includes(v)) as T[];
        }
        return value as T[];
    }

    /** A non-empty list without duplicates whose every item matches `pattern`. */
    listMatching(arg: string, value: unknown, pattern: RegExp, allowed: string): string[] {
        if (
            !Array.isArray(value) ||
            value.length === 0 ||
            new Set(value).size !== value.length ||
            value.some((item) => typeof item !== "string" || !pattern.test(item))
        ) {
            this.fail(arg, value, allowed);
            return Array.isArray(value) ? value.filter((item) => typeof item === "string" && pattern.test(item)) : [];
        }
        return value as string[];
    }
}
