// Validates a Kubernetes object against a CustomResourceDefinition the way the API server does on
// create: the structural OpenAPI schema (with ajv; unknown fields rejected, as `kubectl
// --validate=strict` and server-side field validation reject them) and every
// `x-kubernetes-validations` CEL rule on the paths present (with @bufbuild/cel). A rule the
// library cannot evaluate is returned by name in `unevaluated`, never counted as passed.
// The components run it at construction on every NodePool and EC2NodeClass they build, against
// karpenter-crds.json (generated from the Karpenter v1.14.1 CRDs by tools/crdArtefact.ts); the
// contract tests run the same class on the fixture CRDs themselves (Spark Operator's too).
import { celEnv, CelInput, celMethod, CelScalar, isCelError, parse, plan } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import Ajv, { Options, ValidateFunction } from "ajv";
import { isDeepStrictEqual } from "util";
import { formats } from "./crdFormats";

type Schema = Record<string, any>;

/** The parts of a CustomResourceDefinition validation needs (what karpenter-crds.json keeps). */
export interface CrdSchema {
    spec: { group: string; scope: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
}

export interface CrdValidation {
    /** Schema violations and failed rules, each with its path. */
    errors: string[];
    /** Rules the CEL library could not evaluate: `<path>: <rule>: <reason>`. */
    unevaluated: string[];
    /** Rules evaluated (and passed or failed). */
    evaluatedRules: number;
    /** Transition rules (those reading oldSelf), evaluated as a no-op update. */
    transitionRules: string[];
}

// Kubernetes' CEL environment adds `find` (its regex library) to the standard functions and
// the strings extension. The patterns Karpenter's rules pass to it ("^([^/]+)", "^[^@]+") mean
// the same in RE2 and in JavaScript.
const k8sFind = celMethod("find", CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (re: string) {
    return new RegExp(re).exec(this)?.[0] ?? "";
});
// Kubernetes' quantity() and url() libraries are not provided: a rule calling them lands in
// `unevaluated` rather than passing.
const env = celEnv({ funcs: [...strings, k8sFind] });

/** Converts JSON into CEL values as the API server types them: integers per schema, objects as maps. */
function toCel(value: unknown, schema: Schema | undefined): CelInput {
    if (value === null || value === undefined) {
        return null;
    }
    if (Array.isArray(value)) {
        return value.map((v) => toCel(v, schema?.items));
    }
    if (typeof value === "object") {
        const m = new Map<string, CelInput>();
        for (const [k, v] of Object.entries(value as object)) {
            m.set(k, toCel(v, schema?.properties?.[k] ?? (typeof schema?.additionalProperties === "object" ? schema.additionalProperties : undefined)));
        }
        return m as unknown as CelInput;
    }
    if (typeof value === "number" && (schema?.type === "integer" || schema?.["x-kubernetes-int-or-string"])) {
        return BigInt(value);
    }
    return value as CelInput;
}

/** The structural schema as ajv validates it: unknown fields rejected unless preserved. */
export function strictSchema(node: Schema): Schema {
    if (Array.isArray(node)) {
        return node.map(strictSchema) as unknown as Schema;
    }
    if (!node || typeof node !== "object") {
        return node;
    }
    const out: Schema = {};
    for (const [k, v] of Object.entries(node)) {
        if (k === "x-kubernetes-validations" || k === "description") {
            continue;
        }
        out[k] = typeof v === "object" ? strictSchema(v) : v;
    }
    if (out["x-kubernetes-list-type"] === "set") {
        out.uniqueItems = true;
    }
    if (out.type === "object" && out.properties && out.additionalProperties === undefined && !out["x-kubernetes-preserve-unknown-fields"]) {
        out.additionalProperties = false;
    }
    return out;
}

/**
 * The ajv instance every CRD schema is compiled with: all errors, the schema's defaults applied
 * (as the API server does before it runs the rules), the Kubernetes extensions accepted as
 * keywords. tools/crdArtefact.ts compiles the Karpenter schemas with it ahead of time (`code`).
 */
export function crdAjv(code?: Options["code"]): Ajv {
    const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, formats, ...(code ? { code } : {}) });
    for (const kw of ["x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields"]) {
        ajv.addKeyword(kw);
    }
    return ajv;
}

let runtimeAjv: Ajv | undefined;

/** Each rule parsed and planned once per process: every pool evaluates the same rules. */
const programs = new Map<string, ReturnType<typeof plan>>();
function program(rule: string): ReturnType<typeof plan> {
    let p = programs.get(rule);
    if (!p) {
        p = plan(env, parse(rule));
        programs.set(rule, p);
    }
    return p;
}

/**
 * Why the runtime CEL environment cannot compile `rule` (a function the API server has and
 * @bufbuild/cel lacks, such as Kubernetes' quantity() or url()), or undefined when it can.
 */
export function celRuleGap(rule: string): string | undefined {
    let parsed;
    try {
        parsed = parse(rule);
        plan(env, parsed);
    } catch (e) {
        return (e as Error).message;
    }
    const calls = new Set<string>();
    const walk = (node: unknown): void => {
        if (Array.isArray(node)) {
            node.forEach(walk);
        } else if (node && typeof node === "object") {
            const n = node as { $typeName?: string; function?: string };
            if (n.$typeName === "cel.expr.Expr.Call" && n.function) {
                calls.add(n.function);
            }
            Object.values(node).forEach(walk);
        }
    };
    walk(parsed.expr);
    // Logical operators, indexing and the comprehension helper are planned as control flow and access, not looked up.
    const missing = [...calls].filter((f) => !PLANNED_AS_CONTROL_FLOW.includes(f) && env.funcs.find(f) === undefined);
    return missing.length > 0 ? `unbound function: ${missing.join(", ")}` : undefined;
}

const PLANNED_AS_CONTROL_FLOW = ["_&&_", "_||_", "_?_:_", "@not_strictly_false", "_[_]", "_[?_]"];

/** Errors that mean the library lacks something the API server has, not that the object is wrong. */
const LIBRARY_GAP = /overload|no such function|unknown function|unbound function|undeclared|syntax error|parse/i;

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export class CrdValidator {
    private readonly versions = new Map<string, { schema: Schema; validate?: ValidateFunction; scope: string }>();

    /** `compiled`: validators compiled ahead of time, by kind (tools/crdArtefact.ts); others are compiled on first use. */
    constructor(crds: CrdSchema[], compiled: Record<string, ValidateFunction> = {}) {
        for (const crd of crds) {
            for (const v of crd.spec.versions) {
                const schema = v.schema.openAPIV3Schema;
                // Compiled on first use: a stack that builds only NodePools never compiles the rest.
                this.versions.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, { schema, scope: crd.spec.scope, validate: compiled[crd.spec.names.kind] });
            }
        }
    }

    validate(object: Schema): CrdValidation {
        const result: CrdValidation = { errors: [], unevaluated: [], evaluatedRules: 0, transitionRules: [] };
        const entry = this.versions.get(`${object.apiVersion}/${object.kind}`);
        if (!entry) {
            result.errors.push(`/: no CRD serves ${object.apiVersion} ${object.kind}`);
            return result;
        }
        const name = object.metadata?.name;
        if (typeof name !== "string" || name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
            result.errors.push(`/metadata/name: ${JSON.stringify(name)} is not a DNS-1123 subdomain`);
        }
        if (entry.scope === "Cluster" && object.metadata?.namespace !== undefined) {
            result.errors.push("/metadata/namespace: set on a cluster-scoped object");
        }
        // ajv applies the schema's defaults, as the API server does before it runs the rules.
        const defaulted = structuredClone(object);
        const validate = (entry.validate ??= (runtimeAjv ??= crdAjv()).compile(strictSchema(entry.schema)));
        if (!validate(defaulted)) {
            for (const e of validate.errors ?? []) {
                const extra = e.keyword === "additionalProperties" ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : "";
                result.errors.push(`${e.instancePath || "/"}: ${e.message}${extra}`);
            }
        }
        this.walk(entry.schema, defaulted, "", result);
        return result;
    }

    private walk(schema: Schema | undefined, value: unknown, path: string, out: CrdValidation): void {
        if (!schema || value === undefined) {
            return;
        }
        for (const rule of (schema["x-kubernetes-validations"] ?? []) as { rule: string; message?: string }[]) {
            this.evaluate(rule, schema, value, path, out);
        }
        if (schema["x-kubernetes-list-type"] === "map" && Array.isArray(value)) {
            const keys = schema["x-kubernetes-list-map-keys"] as string[];
            const seen = value.map((v) => keys.map((k) => (v as Schema)[k]));
            if (seen.some((k, i) => seen.findIndex((o) => isDeepStrictEqual(o, k)) !== i)) {
                out.errors.push(`${path || "/"}: duplicate entries for list-map keys ${keys.join(",")}`);
            }
        }
        if (Array.isArray(value)) {
            value.forEach((v, i) => this.walk(schema.items, v, `${path}/${i}`, out));
        } else if (value && typeof value === "object") {
            for (const [k, v] of Object.entries(value)) {
                const child = schema.properties?.[k] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
                this.walk(child, v, `${path}/${k}`, out);
            }
        }
    }

    private evaluate(rule: { rule: string; message?: string }, schema: Schema, value: unknown, path: string, out: CrdValidation): void {
        const where = `${path || "/"}: ${rule.rule}`;
        const transition = /\boldSelf\b/.test(rule.rule);
        if (transition) {
            out.transitionRules.push(where);
        }
        let verdict: unknown;
        try {
            const self = toCel(value, schema);
            verdict = program(rule.rule)(transition ? { self, oldSelf: self } : { self });
        } catch (e) {
            verdict = e;
        }
        const failure = verdict instanceof Error ? verdict.message : isCelError(verdict) ? verdict.message : undefined;
        if (failure !== undefined && LIBRARY_GAP.test(failure)) {
            out.unevaluated.push(`${where}: ${failure}`);
            return;
        }
        if (failure !== undefined) {
            // The API server rejects an object whose rule errors at runtime (int("two"), a missing key).
            out.evaluatedRules++;
            out.errors.push(`${path || "/"}: ${rule.message ?? rule.rule} (evaluation error: ${failure})`);
            return;
        }
        out.evaluatedRules++;
        if (verdict !== true) {
            out.errors.push(`${path || "/"}: ${rule.message ?? rule.rule}`);
        }
    }
}
