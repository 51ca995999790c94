import * as semver from "semver";
import { KUBERNETES_VERSION, SEMVER } from "../validation";

/** The Karpenter release this project is built and tested against (the fixtures' version). */
export const DEFAULT_KARPENTER_VERSION = "1.14.1";

/** The Kubernetes version new clusters get: the newest that both EKS and Karpenter 1.14 run in standard support. */
export const DEFAULT_KUBERNETES_VERSION = "1.35";

/** Where KARPENTER_KUBERNETES_SUPPORT comes from; the README and error messages cite it. */
export const KARPENTER_COMPATIBILITY_SOURCE =
    "https://karpenter.sh/v1.14/upgrading/compatibility/ (generated from aws/karpenter-provider-aws hack/docs/compatibilitymatrix_gen/compatibility.yaml @ 1d927085, 2026-08-21)";

/**
 * The one table of Kubernetes minors each Karpenter minor supports (minK8sVersion..maxK8sVersion of
 * Karpenter's compatibility.yaml, which the matrix on KARPENTER_COMPATIBILITY_SOURCE renders). Config
 * validation, the upgrade check and the README all read it. A Karpenter minor missing here is
 * refused rather than guessed: add it after reading the matrix for that release.
 */
export const KARPENTER_KUBERNETES_SUPPORT: Record<string, { min: number; max: number }> = {
    "1.1": { min: 25, max: 31 },
    "1.2": { min: 25, max: 32 },
    "1.3": { min: 25, max: 32 },
    "1.4": { min: 25, max: 32 },
    "1.5": { min: 26, max: 33 },
    "1.6": { min: 26, max: 34 },
    "1.7": { min: 26, max: 34 },
    "1.8": { min: 26, max: 34 },
    "1.9": { min: 26, max: 35 },
    "1.10": { min: 26, max: 35 },
    "1.11": { min: 26, max: 35 },
    "1.12": { min: 26, max: 35 },
    "1.13": { min: 26, max: 36 },
    "1.14": { min: 26, max: 36 },
};

/** A release version as Helm charts publish them (no leading "v"), parsed by semver; undefined otherwise. */
function parseSemver(version: string): semver.SemVer | undefined {
    return SEMVER.test(version) ? (semver.parse(version) ?? undefined) : undefined;
}

function minorOf(v: semver.SemVer): string {
    return `${v.major}.${v.minor}`;
}

/** The Kubernetes minors ("1.26", ...) a Karpenter version supports, or undefined when it is not in the table. */
export function supportedKubernetesVersions(karpenterVersion: string): string[] | undefined {
    const karpenter = parseSemver(karpenterVersion);
    const support = karpenter && KARPENTER_KUBERNETES_SUPPORT[minorOf(karpenter)];
    if (!support) {
        return undefined;
    }
    return Array.from({ length: support.max - support.min + 1 }, (_, i) => `1.${support.min + i}`);
}

/** The compatibility table as Markdown, for the README (`npm run gen:config` writes it). */
export function compatibilityMarkdown(): string {
    const rows = Object.entries(KARPENTER_KUBERNETES_SUPPORT).map(([k, s]) => `| ${k} | 1.${s.min} to 1.${s.max} |`);
    return ["| Karpenter | Kubernetes |", "|---|---|", ...rows, "", `Source: ${KARPENTER_COMPATIBILITY_SOURCE}.`].join("\n");
}

/** What is wrong with running `kubernetesVersion` under `karpenterVersion`, or undefined if nothing. */
export function kubernetesSupportProblem(karpenterVersion: string, kubernetesVersion: string): string | undefined {
    const karpenter = parseSemver(karpenterVersion);
    const k8s = KUBERNETES_VERSION.exec(kubernetesVersion);
    if (!karpenter || !k8s) {
        return undefined; // format errors are reported by the format checks
    }
    const support = KARPENTER_KUBERNETES_SUPPORT[minorOf(karpenter)];
    if (!support) {
        const known = Object.keys(KARPENTER_KUBERNETES_SUPPORT);
        return `Karpenter ${minorOf(karpenter)} is not in this project's compatibility table (${known[0]} to ${known[known.length - 1]})`;
    }
    const minor = Number(k8s[1]);
    if (minor < support.min || minor > support.max) {
        return `a Kubernetes version Karpenter ${minorOf(karpenter)} supports: 1.${support.min} to 1.${support.max}`;
    }
    return undefined;
}

/**
 * Why moving a running cluster from Karpenter `from` to `to` is not supported, or undefined.
 * Karpenter's upgrade guide asks for one minor version at a time (each minor may migrate CRD
 * fields that the next one drops) and does not support downgrading across minors.
 */
export function karpenterUpgradeProblem(from: string, to: string): string | undefined {
    const a = parseSemver(from);
    const b = parseSemver(to);
    if (!a || !b) {
        return undefined;
    }
    if (a.major !== b.major) {
        return `Karpenter ${from} to ${to} changes the major version; follow Karpenter's migration guide by hand`;
    }
    if (b.minor > a.minor + 1) {
        const path = [];
        for (let m = a.minor; m <= b.minor; m++) {
            path.push(`${a.major}.${m}`);
        }
        return `Karpenter ${from} to ${to} skips minor versions; upgrade one minor at a time (${path.join(" -> ")}), deploying each step`;
    }
    if (b.minor < a.minor) {
        return `Karpenter ${from} to ${to} is a downgrade across minor versions, which Karpenter does not support`;
    }
    return undefined;
}
