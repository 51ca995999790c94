// The plan's engine: two renders in, per-resource steps out, in the form of `pulumi preview
// --diff` (+ create, ~ update, +- replace, - delete). Pure functions over plain data, so tests and
// the CLIs (tools/plan.ts, tools/blastRadius.ts) share them. Replacement comes only from
// tools/replaceOnChange.ts, and spreads the way the engine spreads it: a dependent whose
// replace-forcing input reads an output of a replaced resource is replaced too, and every resource
// of a replaced provider is replaced.
import { isDeepStrictEqual } from "util";
import { hasReplaceData, nameInputOf, REMOTE_COMPONENTS, REPLACE_ON_CHANGE, replaceInputsOf, valuesAt } from "./replaceOnChange";

/** What the plan needs of a registration (resources.json has the first six; registrations.json all). */
export interface PlanResource {
    urn: string;
    type: string;
    name: string;
    parent?: string | null;
    custom: boolean;
    inputs: Record<string, unknown>;
    remote?: boolean;
    provider?: string;
    dependencies?: string[];
    outputs?: Record<string, unknown>;
    options?: { protect?: boolean; deleteBeforeReplace?: boolean; aliases?: string[] };
}

export type Op = "create" | "update" | "replace" | "delete";
export const MARKER: Record<Op, string> = { create: "+", update: "~", replace: "+-", delete: "-" };

/** A value the preview cannot know: an output of a resource being replaced. */
export const UNKNOWN = "[unknown]";
export const SECRET = "[secret]";

export interface InputChange {
    /** Input path as `pulumi preview --diff` prints it: `spec.limits.cpu`, `tags["karpenter.sh/discovery"]`, `subnetIds[0]`. */
    path: string;
    old?: unknown;
    new?: unknown;
    /** This change forces the replacement. */
    replaces?: boolean;
}

export interface Step {
    op: Op;
    urn: string;
    type: string;
    name: string;
    changes: InputChange[];
    /** Why a replace: input paths from the table, or "provider X replaced". */
    replaceReasons?: string[];
    replaceOrder?: "create-before-delete" | "delete-before-create";
    /** Set when the order is forced by an unchanged explicit name the resource type cannot share. */
    replaceNote?: string;
    /** Remote components: what the render cannot see into, and which of its children this step replaces. */
    remote?: { children: string[]; replacedChildren: string[] };
    /** The resource is protected (`protect: true`): pulumi up refuses to delete or replace it. */
    protect?: boolean;
    /** The type has no entry in the replace-on-change table: a change is shown as an update. */
    noReplaceData?: boolean;
    /** What the change does beyond the resource itself (a Spark job that runs again). */
    notes?: string[];
}

/**
 * The Spark Operator runs a SparkApplication again when its spec changes, in any state, killing it
 * first if it is running; changes to spec.suspend or spec.timeToLiveSeconds alone do not
 * (kubeflow/spark-operator v2.5.2 internal/controller/sparkapplication/event_filter.go;
 * https://www.kubeflow.org/docs/components/spark-operator/user-guide/working-with-sparkapplication/).
 * A ScheduledSparkApplication makes each run from its template when it is due.
 */
function sparkJobNotes(step: Step): string[] | undefined {
    const rerunning = (path: string) => (path === "spec" || path.startsWith("spec.")) && !/^spec\.(suspend|timeToLiveSeconds)(\.|\[|$)/.test(path);
    const specChanged = step.op === "replace" || step.changes.some((c) => rerunning(c.path));
    if (!specChanged) {
        return undefined;
    }
    if (step.type === "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication" && step.op !== "delete" && step.op !== "create") {
        return ["the Spark Operator runs this job again with the new spec (killing it first if it is running); delete a finished job that must not run twice before pulumi up"];
    }
    if (step.type === "kubernetes:sparkoperator.k8s.io/v1beta2:ScheduledSparkApplication" && step.op === "update") {
        return ["applies from the next scheduled run: each run is a SparkApplication the operator makes from the template when it is due"];
    }
    return undefined;
}

export interface Plan {
    steps: Step[];
    unchanged: number;
    counts: Record<Op, number>;
}

/** The URN without its stack, so that renders of two stacks line up. */
export function stackNeutralUrn(urn: string): string {
    // The root resource is named <project>-<stack>: one per stack, so one key.
    return urn.replace(/^urn:pulumi:[^:]+::/, "urn:pulumi:*::").replace(/::pulumi:pulumi:Stack::.*$/, "::pulumi:pulumi:Stack::*");
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const join = (path: string, key: string) => (IDENT.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
/** Keys whose values are credentials even when the program forgot to mark them secret. */
const SECRET_KEY = /(password|secret|token|kubeconfig|privatekey|credentials)/i;

/** Leaf-level differences between two input objects. Lists of scalars are compared whole. */
export function inputChanges(a: unknown, b: unknown, path = ""): InputChange[] {
    if (isDeepStrictEqual(a, b)) {
        return [];
    }
    if (isObject(a) && isObject(b)) {
        return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().flatMap((k) => inputChanges(a[k], b[k], join(path, k)));
    }
    if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].some((x) => x !== null && typeof x === "object")) {
        return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => inputChanges(a[i], b[i], `${path}[${i}]`)).flat();
    }
    return [{ path, old: a, new: b }];
}

/** Masks secret values: "[secret]" stays as it is, and so does anything under a credential-like key. */
export function maskSecrets(change: InputChange): InputChange {
    const mask = (v: unknown) => (v === undefined ? undefined : SECRET);
    const secret = SECRET_KEY.test(change.path) || JSON.stringify(change.old ?? null).includes(SECRET) || JSON.stringify(change.new ?? null).includes(SECRET);
    return secret ? { ...change, old: mask(change.old), new: mask(change.new) } : change;
}

/** `spec.containers[0].image` -> `spec.containers[].image`, for matching table paths. */
const generic = (path: string) => path.replace(/\[\d+\]/g, "[]").replace(/\["([^"]+)"\]/g, ".$1");
const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

/** The table's replace-forcing inputs that differ between two input objects. */
export function replaceReasons(type: string, oldInputs: Record<string, unknown>, newInputs: Record<string, unknown>, unknownPaths: string[] = []): string[] {
    const reasons: string[] = [];
    for (const input of replaceInputsOf(type)) {
        const before = valuesAt(oldInputs, input.path);
        const after = valuesAt(newInputs, input.path);
        const unknown = unknownPaths.some((p) => under(generic(p), input.path) || under(input.path, generic(p)));
        if (unknown || (!isDeepStrictEqual(before, after) && !(input.unlessAdded && before === undefined))) {
            reasons.push(input.path);
        }
    }
    return reasons;
}

/**
 * Whether these replace reasons replace the resource. A remote component is replaced as a whole
 * only when its primary child is (the VPC, the control plane); others only replace some children.
 */
function replaces(type: string, reasons: string[]): boolean {
    const remote = REMOTE_COMPONENTS[type];
    if (!remote) {
        return reasons.length > 0;
    }
    return reasons.some((r) => r.startsWith("provider ") || remote.replaceInputs.some((i) => i.path === r && i.replaces === remote.primary));
}

/** String leaves of a value with their paths. */
function leaves(value: unknown, path = ""): [string, string][] {
    if (typeof value === "string") {
        return [[path, value]];
    }
    if (Array.isArray(value)) {
        return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
    }
    if (isObject(value)) {
        return Object.entries(value).flatMap(([k, v]) => leaves(v, join(path, k)));
    }
    return [];
}

/** Outputs of a replaced resource that its dependents will see as unknown. */
function changedOutputValues(r: PlanResource, outputs: string[] | "all"): Set<string> {
    const values = new Set<string>([r.urn]);
    const keys = outputs === "all" ? ["id", "arn", "name", "bucket", "url", ...(REMOTE_COMPONENTS[r.type]?.replaceInputs.flatMap((i) => i.outputs) ?? [])] : outputs;
    for (const k of keys) {
        // Identifiers only (ARNs, IDs, URLs, generated names): a short word such as "system" also
        // appears in unrelated inputs.
        for (const [, v] of leaves(r.outputs?.[k])) {
            if (v.length >= 8 && /[-:/.\d]/.test(v)) {
                values.add(v);
            }
        }
    }
    return values;
}

/** Diffs two renders. `before` is what is deployed (or the other render), `after` what the program now declares. */
export function diffRenders(before: PlanResource[], after: PlanResource[]): Plan {
    const key = (r: PlanResource) => stackNeutralUrn(r.urn);
    const old = new Map(before.map((r) => [key(r), r]));
    // A resource that moved (a component split into folders) keeps its state through its aliases:
    // the engine matches it with the old URN, so the plan does too.
    for (const r of after) {
        const alias = (r.options?.aliases ?? []).map(stackNeutralUrn).find((a) => old.has(a));
        if (!old.has(key(r)) && alias) {
            old.set(key(r), old.get(alias)!);
            old.delete(alias);
        }
    }
    const next = new Map(after.map((r) => [key(r), r]));
    const steps = new Map<string, Step>();
    let unchanged = 0;

    for (const [k, r] of next) {
        const o = old.get(k);
        if (!o) {
            steps.set(k, { op: "create", urn: r.urn, type: r.type, name: r.name, changes: [] });
            continue;
        }
        const changes = inputChanges(o.inputs, r.inputs);
        const reasons = replaceReasons(r.type, o.inputs, r.inputs);
        if (changes.length === 0 && reasons.length === 0) {
            unchanged++;
            continue;
        }
        steps.set(k, { op: replaces(r.type, reasons) ? "replace" : "update", urn: r.urn, type: r.type, name: r.name, changes, replaceReasons: reasons.length ? reasons : undefined });
    }
    for (const [k, r] of old) {
        if (!next.has(k)) {
            steps.set(k, { op: "delete", urn: r.urn, type: r.type, name: r.name, changes: [], protect: r.options?.protect || undefined });
        }
    }

    // Spread replacements to dependents until nothing more changes.
    const spread = new Set<string>();
    for (let changed = true; changed; ) {
        changed = false;
        for (const [k, step] of steps) {
            const partial = remotePartialOutputs(step, old.get(k), next.get(k));
            if ((step.op !== "replace" && !partial) || spread.has(k)) {
                continue;
            }
            spread.add(k);
            const source = old.get(k)!;
            const values = changedOutputValues(source, step.op === "replace" ? "all" : partial!);
            // Dependents name the resource by its URN in the new render (the map's key).
            const sourceUrn = k;
            if (next.has(k)) {
                values.add(next.get(k)!.urn);
            }
            for (const [dk, d] of next) {
                const prior = old.get(dk);
                const viaProvider = d.provider !== undefined && stackNeutralUrn(d.provider) === sourceUrn;
                const dependsOn = viaProvider || (d.dependencies ?? []).map(stackNeutralUrn).includes(sourceUrn);
                if (!prior || dk === k || !dependsOn || steps.get(dk)?.op === "replace" || steps.get(dk)?.op === "create") {
                    continue;
                }
                const providerReplaced = viaProvider && step.op === "replace";
                const unknownPaths = leaves(d.inputs)
                    .filter(([, v]) => values.has(v) || (step.op === "replace" && v === SECRET))
                    .map(([p]) => p);
                if (!providerReplaced && unknownPaths.length === 0) {
                    continue;
                }
                const existing = steps.get(dk) ?? { op: "update" as Op, urn: d.urn, type: d.type, name: d.name, changes: [] };
                for (const p of unknownPaths) {
                    if (!existing.changes.some((c) => under(p, c.path))) {
                        existing.changes.push({ path: p, old: leaves(prior.inputs).find(([lp]) => lp === p)?.[1], new: UNKNOWN });
                    }
                }
                const reasons = replaceReasons(d.type, prior.inputs, d.inputs, unknownPaths);
                if (providerReplaced) {
                    reasons.push(`provider ${source.name} replaced`);
                }
                if (replaces(d.type, reasons)) {
                    existing.op = "replace";
                    existing.replaceReasons = [...new Set([...(existing.replaceReasons ?? []), ...reasons])];
                }
                steps.set(dk, existing);
                changed = true;
            }
        }
    }

    for (const [k, step] of steps) {
        const o = old.get(k);
        const r = next.get(k);
        step.changes = step.changes.map((c) => ({ ...c, replaces: step.replaceReasons?.some((p) => under(generic(c.path), p) || under(p, generic(c.path))) || undefined })).map(maskSecrets);
        if (step.op === "replace" && o && r) {
            Object.assign(step, replaceOrder(r, o, step.replaceReasons));
            step.protect = o.options?.protect || r.options?.protect || undefined;
        }
        const remote = REMOTE_COMPONENTS[step.type];
        if (remote) {
            const replaced = o && r ? remote.replaceInputs.filter((i) => step.replaceReasons?.includes(i.path) || replaceReasons(step.type, o.inputs, r.inputs).includes(i.path)).map((i) => i.replaces) : [];
            step.remote = { children: remote.children.map((c) => c.type), replacedChildren: [...new Set(replaced)] };
        }
        if (!hasReplaceData(step.type) && step.op === "update" && r?.custom) {
            step.noReplaceData = true;
        }
        const notes = sparkJobNotes(step);
        if (notes) {
            step.notes = notes;
        }
    }

    const ordered = [...steps.values()].sort((a, b) => order(after, before, a.urn) - order(after, before, b.urn));
    const counts: Record<Op, number> = { create: 0, update: 0, replace: 0, delete: 0 };
    ordered.forEach((s) => counts[s.op]++);
    return { steps: ordered, unchanged, counts };
}

function order(after: PlanResource[], before: PlanResource[], urn: string): number {
    const i = after.findIndex((r) => r.urn === urn);
    return i >= 0 ? i : after.length + before.findIndex((r) => r.urn === urn);
}

/** A remote component that replaces some children but not itself: the outputs those children feed. */
function remotePartialOutputs(step: Step, o?: PlanResource, r?: PlanResource): string[] | undefined {
    const remote = REMOTE_COMPONENTS[step.type];
    if (!remote || !o || !r || step.op === "replace") {
        return undefined;
    }
    const paths = replaceReasons(step.type, o.inputs, r.inputs);
    const outputs = remote.replaceInputs.filter((i) => paths.includes(i.path)).flatMap((i) => i.outputs);
    return outputs.length ? outputs : undefined;
}

/**
 * Create-before-delete is Pulumi's default. A replacement that keeps an explicit physical name
 * cannot create the new resource first: the Kubernetes provider then deletes first on its own
 * (provider.go, Diff: deleteBeforeReplace for named objects whose name and namespace are kept);
 * other providers need `deleteBeforeReplace: true` or `pulumi up` fails on the name.
 */
export function replaceOrder(r: PlanResource, o: PlanResource, reasons: string[] = []): Pick<Step, "replaceOrder" | "replaceNote"> {
    if (reasons.length > 0 && reasons.every((x) => x.startsWith("provider "))) {
        // A new provider is a new cluster: the new object does not meet the old one's name.
        return { replaceOrder: "create-before-delete" };
    }
    if (r.options?.deleteBeforeReplace) {
        return { replaceOrder: "delete-before-create" };
    }
    const nameInput = nameInputOf(r.type);
    const oldName = nameInput ? valuesAt(o.inputs, nameInput) : undefined;
    const newName = nameInput ? valuesAt(r.inputs, nameInput) : undefined;
    const sameNamespace = !r.type.startsWith("kubernetes:") || isDeepStrictEqual(valuesAt(o.inputs, "metadata.namespace"), valuesAt(r.inputs, "metadata.namespace"));
    if (oldName !== undefined && isDeepStrictEqual(oldName, newName) && sameNamespace) {
        return r.type.startsWith("kubernetes:")
            ? { replaceOrder: "delete-before-create" }
            : { replaceOrder: "delete-before-create", replaceNote: `keeps its name ${JSON.stringify(newName)}: needs deleteBeforeReplace, or pulumi up fails creating a second ${r.type.split(":").pop()} of that name` };
    }
    return { replaceOrder: "create-before-delete" };
}

const MAX_VALUE = 100;
/** A value as the plan prints it (JSON, shortened). */
export function show(v: unknown): string {
    if (v === undefined) {
        return "(none)";
    }
    const s = typeof v === "string" && (v === SECRET || v === UNKNOWN) ? v : JSON.stringify(v);
    return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 3)}...` : s;
}

/** The plan as text, one block per step, as `pulumi preview --diff` prints it. */
export function formatPlan(plan: Plan, o: { header?: string } = {}): string {
    const lines: string[] = o.header ? [o.header] : [];
    if (plan.steps.length === 0) {
        lines.push(`no changes (${plan.unchanged} resources unchanged)`);
        return lines.join("\n");
    }
    for (const s of plan.steps) {
        const tags = [
            s.op === "replace" ? s.replaceOrder ?? "" : "",
            s.protect && (s.op === "replace" || s.op === "delete") ? "PROTECTED: pulumi up refuses this" : "",
            s.noReplaceData ? "no replace data for this type: shown as an update" : "",
        ].filter(Boolean);
        lines.push(`${MARKER[s.op].padEnd(2)} ${s.type}  ${s.name}${tags.length ? `  [${tags.join("; ")}]` : ""}`);
        if (s.replaceReasons?.length) {
            lines.push(`     replaced because of: ${s.replaceReasons.join(", ")}`);
        }
        if (s.replaceNote) {
            lines.push(`     note: ${s.replaceNote}`);
        }
        for (const n of s.notes ?? []) {
            lines.push(`     note: ${n}`);
        }
        if (s.remote) {
            lines.push(`     remote component: the render cannot see its children (${s.remote.children.map((c) => c.split(":").pop()).join(", ")})`);
            if (s.remote.replacedChildren.length) {
                lines.push(`     replaces its children: ${s.remote.replacedChildren.join(", ")}`);
            }
        }
        for (const c of s.changes) {
            lines.push(`     ${c.replaces ? "+-" : "~ "} ${c.path}: ${show(c.old)} => ${show(c.new)}`);
        }
    }
    const c = plan.counts;
    lines.push(`\n${c.create} to create (+), ${c.update} to update (~), ${c.replace} to replace (+-), ${c.delete} to delete (-), ${plan.unchanged} unchanged`);
    return lines.join("\n");
}

/** Types the table knows, for `--help` and the tests. */
export const KNOWN_TYPES = [...Object.keys(REPLACE_ON_CHANGE), ...Object.keys(REMOTE_COMPONENTS)];
