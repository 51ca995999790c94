import { KUBERNETES_VERSION, SEMVER } from "../validation";

/** The Karpenter release this project is built and tested against (the fixtures' version). */
export const DEFAULT_KARPENTER_VERSION = "1.14.1";

/** The Kubernetes version new clusters get: the newest that Karpenter 1.14 supports. */
export const DEFAULT_KUBERNETES_VERSION = "1.35";

/**
 * Kubernetes minors each Karpenter minor supports, from Karpenter's compatibility matrix
 * (karpenter.sh/docs/upgrading/compatibility: 1.35 needs Karpenter >= 1.9.2, 1.34 >= 1.6,
 * 1.29 is the oldest listed; endoflife.date lists 1.9-1.11 as "1.29 - 1.35"). A Karpenter minor
 * missing here is refused rather than guessed: add it after reading the matrix for that release.
 */
export const KARPENTER_KUBERNETES_SUPPORT: Record<string, { min: number; max: number }> = {
    "1.9": { min: 29, max: 35 },
    "1.10": { min: 29, max: 35 },
    "1.11": { min: 29, max: 35 },
    "1.12": { min: 29, max: 35 },
    "1.13": { min: 29, max: 35 },
    "1.14": { min: 29, max: 35 },
};

interface Semver {
    major: number;
    minor: number;
    patch: number;
}

function parseSemver(version: string): Semver | undefined {
    const m = SEMVER.exec(version);
    return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

function minorOf(v: Semver): string {
    return `${v.major}.${v.minor}`;
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
