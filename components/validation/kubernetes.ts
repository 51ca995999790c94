import { podMayRunOn, PodPlacement, Taint, Toleration } from "../catalog/scheduling";
import { Problem, suggestion } from "./index";

// Kubernetes object fields the API server, the scheduler or Karpenter would reject or never
// satisfy: label and taint syntax, tolerations that match their taint, disruption budgets,
// namespaces, and where a Spark pod's placement lets it run.

/** A label or taint key: an optional DNS-subdomain prefix and a name of at most 63 characters (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set). */
const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A label value: empty, or at most 63 characters of the name alphabet. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isQualifiedName(key: unknown): boolean {
    if (typeof key !== "string") {
        return false;
    }
    const parts = key.split("/");
    if (parts.length > 2) {
        return false;
    }
    const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
    return NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && PREFIX.test(prefix)));
}

export function isLabelValue(value: unknown): boolean {
    return typeof value === "string" && value.length <= 63 && LABEL_VALUE.test(value);
}

const KEY_ALLOWED = "a Kubernetes qualified name: an optional DNS-subdomain prefix and '/', then 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
const VALUE_ALLOWED = "a label value: empty, or 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";

/** Labels (a nodeSelector, node labels): keys and values. */
export function labelProblems(subject: string, labels: unknown): Problem[] {
    if (labels === null || typeof labels !== "object" || Array.isArray(labels)) {
        return [{ subject, value: labels, allowed: "a map of label keys to values" }];
    }
    const problems: Problem[] = [];
    for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
        if (!isQualifiedName(k)) {
            problems.push({ subject: `${subject} key`, value: k, allowed: KEY_ALLOWED });
        }
        if (!isLabelValue(v)) {
            problems.push({ subject: `${subject}[${JSON.stringify(k)}]`, value: v, allowed: VALUE_ALLOWED });
        }
    }
    return problems;
}

export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** Tolerations as the API server validates them (https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/). */
export function tolerationProblems(subject: string, tolerations: unknown): Problem[] {
    if (!Array.isArray(tolerations)) {
        return [{ subject, value: tolerations, allowed: "a list of tolerations {key, operator, value, effect}" }];
    }
    const problems: Problem[] = [];
    tolerations.forEach((t: Toleration, i) => {
        const at = `${subject}[${i}]`;
        if (t === null || typeof t !== "object") {
            problems.push({ subject: at, value: t, allowed: "a toleration {key, operator, value, effect}" });
            return;
        }
        const operator = t.operator ?? "Equal";
        if (!["Equal", "Exists"].includes(operator)) {
            problems.push({ subject: `${at}.operator`, value: t.operator, allowed: `"Equal" or "Exists"${suggestion(t.operator, ["Equal", "Exists"])}` });
        }
        if (t.key !== undefined && t.key !== "" && !isQualifiedName(t.key)) {
            problems.push({ subject: `${at}.key`, value: t.key, allowed: KEY_ALLOWED });
        }
        if ((t.key === undefined || t.key === "") && operator !== "Exists") {
            problems.push({ subject: `${at}.key`, value: t.key, allowed: 'a key, or operator "Exists" (an empty key tolerates everything only with Exists)' });
        }
        if (operator === "Exists" && t.value !== undefined && t.value !== "") {
            problems.push({ subject: `${at}.value`, value: t.value, allowed: 'no value with operator "Exists"' });
        }
        if (t.value !== undefined && !isLabelValue(t.value)) {
            problems.push({ subject: `${at}.value`, value: t.value, allowed: VALUE_ALLOWED });
        }
        if (t.effect !== undefined && t.effect !== "" && !TAINT_EFFECTS.includes(t.effect)) {
            problems.push({ subject: `${at}.effect`, value: t.effect, allowed: `one of ${TAINT_EFFECTS.join(", ")}, or empty for all${suggestion(t.effect, TAINT_EFFECTS)}` });
        }
    });
    return problems;
}

/** Taints: key, value and effect. */
export function taintProblems(subject: string, taints: Taint[]): Problem[] {
    const problems: Problem[] = [];
    taints.forEach((t, i) => {
        if (!isQualifiedName(t.key)) {
            problems.push({ subject: `${subject}[${i}].key`, value: t.key, allowed: KEY_ALLOWED });
        }
        if (t.value !== undefined && !isLabelValue(t.value)) {
            problems.push({ subject: `${subject}[${i}].value`, value: t.value, allowed: VALUE_ALLOWED });
        }
        if (!TAINT_EFFECTS.includes(t.effect)) {
            problems.push({ subject: `${subject}[${i}].effect`, value: t.effect, allowed: `one of ${TAINT_EFFECTS.join(", ")}${suggestion(t.effect, TAINT_EFFECTS)}` });
        }
    });
    return problems;
}

/**
 * Tolerations meant for a node's taints: each NoSchedule/NoExecute taint must be tolerated, or
 * the pods never schedule there; a toleration that matches none of them is a typo (its key or
 * value differs from the taint's) and is named as such.
 */
export function tolerationMatchProblems(subject: string, tolerations: Toleration[], taints: Taint[], nodes: string): Problem[] {
    const problems: Problem[] = [];
    const hard = taints.filter((t) => t.effect !== "PreferNoSchedule");
    for (const taint of hard) {
        if (!podMayRunOn({ tolerations }, {}, [taint])) {
            const near = tolerations.find((t) => t.key !== taint.key && suggestion(t.key, [taint.key]) !== "");
            problems.push({
                subject,
                value: tolerations,
                allowed:
                    `tolerations that match the taint ${taint.key}=${taint.value ?? ""}:${taint.effect} of ${nodes}, or its pods never schedule there` +
                    (near ? ` (toleration key ${JSON.stringify(near.key)}: did you mean ${JSON.stringify(taint.key)}?)` : ""),
            });
        }
    }
    return problems;
}

/** Names a job namespace must not take: Kubernetes' own and the ones the platform creates (https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces). */
export const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

export function namespaceProblems(subject: string, namespaces: unknown, reserved: string[]): Problem[] {
    if (!Array.isArray(namespaces)) {
        return [];
    }
    const problems: Problem[] = [];
    namespaces.forEach((ns, i) => {
        if (typeof ns !== "string") {
            return;
        }
        if (SYSTEM_NAMESPACES.includes(ns) || ns.startsWith("kube-")) {
            problems.push({
                subject: `${subject}[${i}]`,
                value: ns,
                allowed: `a namespace of your own: "default" and the "kube-" prefix belong to Kubernetes (the namespace already exists or is reserved, and Spark jobs there run beside the control plane's add-ons)`,
            });
        } else if (reserved.includes(ns)) {
            problems.push({ subject: `${subject}[${i}]`, value: ns, allowed: `a namespace other than ${reserved.map((r) => JSON.stringify(r)).join(", ")}, which the platform itself uses` });
        }
    });
    return problems;
}

const CRON_FIELDS: { name: string; min: number; max: number; names?: string[] }[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
    { name: "day of week", min: 0, max: 6, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];
const CRON_MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

/**
 * What is wrong with a cron schedule as Karpenter parses it (robfig/cron's standard parser: five
 * fields or a macro, no time zone; https://karpenter.sh/docs/concepts/disruption/#schedule), or undefined.
 */
export function cronProblem(schedule: string): string | undefined {
    if (schedule.startsWith("@")) {
        return CRON_MACROS.includes(schedule) ? undefined : `unknown macro${suggestion(schedule, CRON_MACROS)}; macros are ${CRON_MACROS.join(", ")}`;
    }
    if (/^(CRON_)?TZ=/.test(schedule)) {
        return "time zones are not supported by Karpenter's budget schedules (UTC)";
    }
    const fields = schedule.trim().split(/\s+/);
    if (fields.length !== 5) {
        return `5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`;
    }
    for (let i = 0; i < 5; i++) {
        const f = CRON_FIELDS[i];
        const value = (v: string) => {
            const named = f.names?.indexOf(v.toUpperCase()) ?? -1;
            if (named >= 0) {
                return named + f.min;
            }
            // robfig/cron accepts 7 as Sunday too.
            return /^\d+$/.test(v) ? Number(v) : NaN;
        };
        for (const part of fields[i].split(",")) {
            const m = /^(\*|\?|([A-Za-z0-9]+)(-([A-Za-z0-9]+))?)(\/(\d+))?$/.exec(part);
            if (!m) {
                return `${f.name} field "${fields[i]}" is not a value, range, list or step`;
            }
            const max = i === 4 ? 7 : f.max;
            for (const v of [m[2], m[4]].filter((x): x is string => x !== undefined)) {
                const n = value(v);
                if (!(n >= f.min && n <= max)) {
                    return `${f.name} "${v}" is outside ${f.min}-${f.max}`;
                }
            }
            if (m[6] !== undefined && Number(m[6]) === 0) {
                return `${f.name} step "/0"`;
            }
        }
    }
    return undefined;
}

const BUDGET_NODES = /^((100|[0-9]{1,2})%|[0-9]+)$/;
const BUDGET_DURATION = /^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$/;
const BUDGET_REASONS = ["Underutilized", "Empty", "Drifted"];

/** Disruption budgets as the NodePool CRD and Karpenter's scheduler take them (https://karpenter.sh/docs/concepts/disruption/#disruption-budgets). */
export function budgetProblems(subject: string, budgets: unknown): Problem[] {
    if (!Array.isArray(budgets) || budgets.length === 0 || budgets.length > 50) {
        return [{ subject, value: budgets, allowed: 'a list of 1 to 50 budgets such as [{nodes: "10%"}]' }];
    }
    const problems: Problem[] = [];
    budgets.forEach((b: any, i) => {
        const at = `${subject}[${i}]`;
        if (b === null || typeof b !== "object") {
            problems.push({ subject: at, value: b, allowed: 'a budget {nodes, schedule?, duration?, reasons?} such as {nodes: "10%"}' });
            return;
        }
        const unknown = Object.keys(b).filter((k) => !["nodes", "schedule", "duration", "reasons"].includes(k));
        for (const k of unknown) {
            problems.push({ subject: `${at}.${k}`, value: b[k], allowed: `one of the fields nodes, schedule, duration, reasons${suggestion(k, ["nodes", "schedule", "duration", "reasons"])}` });
        }
        if (typeof b.nodes !== "string" || !BUDGET_NODES.test(b.nodes)) {
            problems.push({ subject: `${at}.nodes`, value: b.nodes, allowed: 'a count or a percentage 0-100 as a string, such as "2" or "10%"' });
        }
        if ((b.schedule === undefined) !== (b.duration === undefined)) {
            problems.push({ subject: b.schedule === undefined ? `${at}.schedule` : `${at}.duration`, value: b.schedule ?? b.duration, allowed: "schedule and duration set together (the CRD's rule), or neither for an always-active budget" });
        }
        if (b.schedule !== undefined) {
            const problem = typeof b.schedule === "string" ? cronProblem(b.schedule) : "not a string";
            if (problem) {
                problems.push({ subject: `${at}.schedule`, value: b.schedule, allowed: `a cron schedule such as "0 9 * * mon-fri" or "@daily": ${problem}` });
            }
        }
        if (b.duration !== undefined && (typeof b.duration !== "string" || !BUDGET_DURATION.test(b.duration))) {
            problems.push({ subject: `${at}.duration`, value: b.duration, allowed: 'hours and minutes such as "8h", "30m" or "1h30m" (cron has no seconds)' });
        }
        if (b.reasons !== undefined) {
            const bad = Array.isArray(b.reasons) ? b.reasons.filter((r: unknown) => typeof r !== "string" || !BUDGET_REASONS.includes(r)) : [b.reasons];
            if (bad.length > 0 || new Set(b.reasons).size !== b.reasons.length) {
                problems.push({ subject: `${at}.reasons`, value: b.reasons, allowed: `distinct reasons from ${BUDGET_REASONS.join(", ")}${suggestion(bad, BUDGET_REASONS)}` });
            }
        }
    });
    return problems;
}

/**
 * Whether a placement lets a pod land on a Spot node: a node that satisfies everything the
 * placement selects, but bought as Spot. The driver placement must never allow it, whatever the
 * caller passes (a swapped executor placement selects the Spot executor pool).
 */
export function mayRunOnSpot(p: PodPlacement): boolean {
    const labels: Record<string, string> = { ...(p.nodeSelector ?? {}) };
    for (const term of p.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
        for (const r of term.matchExpressions ?? []) {
            if (r.operator === "In" && r.values?.length && labels[r.key] === undefined) {
                labels[r.key] = r.values[0];
            }
        }
    }
    labels["karpenter.sh/capacity-type"] = "spot";
    // No taints: whether it tolerates the Spot pool's taint is beside the point, a Spot node
    // without one (another team's pool) would take it.
    return podMayRunOn({ ...p, tolerations: [{ operator: "Exists" }] }, labels, []);
}
