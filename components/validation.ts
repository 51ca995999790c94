import * as pulumi from "@pulumi/pulumi";

// Shared argument checks. Every failure names the argument, shows the bad value and says what
// is allowed, and is thrown before the component calls `super()`: a rejected component
// registers nothing, so a bad argument never leaves a half-made stack behind.

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
 * every message, so that in a stack with several pools the user knows which one is wrong.
 */
export class ArgChecker {
    constructor(
        private readonly component: string,
        private readonly name: string,
    ) {}

    /** Throws the project's standard error for `arg`. */
    fail(arg: string, value: unknown, allowed: string): never {
        throw new pulumi.ResourceError(
            `${this.component} "${this.name}": ${invalidMessage(arg, value, allowed)}`,
            undefined,
            true,
        );
    }

    string(arg: string, value: unknown, pattern: RegExp, allowed: string): string {
        if (typeof value !== "string" || !pattern.test(value)) {
            this.fail(arg, value, allowed);
        }
        return value;
    }

    integer(arg: string, value: unknown, min: number, max: number): number {
        if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
            this.fail(arg, value, `a whole number from ${min} to ${max}`);
        }
        return value;
    }

    positiveNumber(arg: string, value: unknown, example: string): number {
        if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
            this.fail(arg, value, `a number greater than 0, e.g. ${example}`);
        }
        return value;
    }

    boolean(arg: string, value: unknown): boolean {
        if (typeof value !== "boolean") {
            this.fail(arg, value, "true or false");
        }
        return value;
    }

    oneOf<T extends string>(arg: string, value: unknown, allowed: Record<string, T>): T {
        const values = Object.values(allowed) as string[];
        if (typeof value !== "string" || !values.includes(value)) {
            this.fail(arg, value, `one of ${values.map((v) => show(v)).join(", ")}`);
        }
        return value as T;
    }

    /** A non-empty list without duplicates whose every item is one of `allowed`. */
    listOf<T extends string>(arg: string, value: unknown, allowed: Record<string, T>): T[] {
        const values = Object.values(allowed) as string[];
        const describe = `a non-empty list of distinct values from ${values.map((v) => show(v)).join(", ")}`;
        if (!Array.isArray(value) || value.length === 0 || new Set(value).size !== value.length) {
            this.fail(arg, value, describe);
        }
        for (const item of value) {
            if (typeof item !== "string" || !values.includes(item)) {
                this.fail(arg, value, describe);
            }
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
        }
        return value as string[];
    }
}
