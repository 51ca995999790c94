import { kubernetesSupportProblem } from "../karpenter/versions";
import { AL2023_AMI_VERSION, KUBERNETES_VERSION, Problem, SEMVER, suggestion } from "./index";

// Versions: Kubernetes within what the Karpenter release supports (the compatibility table in
// components/karpenter/versions.ts), chart versions this project has been tested with unless the
// caller opts in, and AMI releases that are real dates.

/** Chart versions the project's contract tests cover (the ../shared fixtures). Others need an explicit opt-in. */
export const TESTED_KARPENTER_VERSIONS = ["1.14.1"];
export const TESTED_SPARK_OPERATOR_VERSIONS = ["2.5.2"];

/**
 * The Kubernetes version: "1.NN", supported by the Karpenter release. A YAML float such as
 * `1.30` reaches the program as "1.3" (or the number 1.3): the hint says to quote it.
 */
export function kubernetesVersionProblems(subject: string, value: unknown, karpenterVersion: string): Problem[] {
    const asText = typeof value === "number" ? String(value) : value;
    if (typeof value === "number" || typeof asText !== "string" || !KUBERNETES_VERSION.test(asText)) {
        return [{ subject, value, allowed: `a Kubernetes minor version as a string such as "1.35"${floatHint(asText, karpenterVersion)}` }];
    }
    const unsupported = kubernetesSupportProblem(karpenterVersion, asText);
    if (unsupported) {
        return [{ subject, value, allowed: `${unsupported}${floatHint(asText, karpenterVersion)}` }];
    }
    return [];
}

function floatHint(text: unknown, karpenterVersion: string): string {
    if (typeof text !== "string" || !/^1\.[1-9]$/.test(text)) {
        return "";
    }
    const padded = `${text}0`;
    return kubernetesSupportProblem(karpenterVersion, padded) === undefined
        ? ` (YAML reads an unquoted 1.${padded.split(".")[1]} as the number ${text}: write "${padded}" in quotes)`
        : "";
}

/**
 * A chart version: semver, and of a minor the project has tested (patches of a minor keep its CRDs
 * and values: https://karpenter.sh/docs/upgrading/compatibility/#release-cadence) unless `allowUntested`.
 */
export function chartVersionProblems(subject: string, value: unknown, tested: string[], allowUntested: boolean, optIn: string): Problem[] {
    if (typeof value !== "string" || !SEMVER.test(value)) {
        const stripped = typeof value === "string" ? value.replace(/^v/, "") : value;
        return [{ subject, value, allowed: `a chart version such as ${JSON.stringify(tested[tested.length - 1])} (semver, no "v")${typeof stripped === "string" && SEMVER.test(stripped) ? ` (did you mean ${JSON.stringify(stripped)}?)` : suggestion(value, tested)}` }];
    }
    const minor = (v: string) => v.split(".").slice(0, 2).join(".");
    if (!allowUntested && !tested.some((t) => minor(t) === minor(value))) {
        return [{ subject, value, allowed: `a release of the minor this project is tested with (${tested.map((t) => `${minor(t)}.x, tested ${t}`).join("; ")}), or set ${optIn} to true to use another` }];
    }
    return [];
}

/** The first EKS-optimised AL2023 AMI release (https://github.com/awslabs/amazon-eks-ami/releases, v20230217... AL2023 from 2023). */
const FIRST_AL2023_RELEASE = "20230101";

/** An AL2023 AMI release: "latest" or "v" and a real calendar date (YYYYMMDD) no earlier than 2023. */
export function amiVersionProblems(subject: string, value: unknown): Problem[] {
    const allowed = 'an EKS AL2023 AMI release such as "v20260818" (v + a real date YYYYMMDD, from https://github.com/awslabs/amazon-eks-ami/releases), or "latest"';
    if (typeof value !== "string" || !AL2023_AMI_VERSION.test(value)) {
        const digits = typeof value === "string" ? value.replace(/[^0-9]/g, "") : "";
        return [{ subject, value, allowed: `${allowed}${digits.length === 8 ? ` (did you mean "v${digits}"?)` : ""}` }];
    }
    if (value === "latest") {
        return [];
    }
    const [y, m, d] = [value.slice(1, 5), value.slice(5, 7), value.slice(7, 9)].map(Number);
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
        return [{ subject, value, allowed: `${allowed}; ${value.slice(1)} is not a calendar date` }];
    }
    if (value.slice(1) < FIRST_AL2023_RELEASE) {
        return [{ subject, value, allowed: `${allowed}; EKS AL2023 AMIs start in 2023` }];
    }
    return [];
}
