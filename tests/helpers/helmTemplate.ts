// `helm template` for the few template constructs the repository's own charts use, so that a test
// can render a local chart without the helm binary: `{{ .Release.Namespace }}`, `{{ . }}` inside a
// `range` over a values list, `toYaml <value> | nindent <n>`, `$.` for the root, and Helm's
// whitespace chomping (`{{-`, `-}}`). Any other action throws, so a template that grows beyond
// this subset fails its test instead of being rendered wrongly.
import * as YAML from "yaml";

type Scope = { root: Record<string, unknown>; dot: unknown };

interface Token {
    text?: string;
    action?: string;
}

function tokens(template: string): Token[] {
    const out: Token[] = [];
    const re = /\{\{(-?)\s*(.*?)\s*(-?)\}\}/gs;
    let last = 0;
    let trimNext = false;
    for (const m of template.matchAll(re)) {
        let text = template.slice(last, m.index);
        if (trimNext) text = text.replace(/^\s+/, "");
        if (m[1] === "-") text = text.replace(/\s+$/, "");
        out.push({ text }, { action: m[2] });
        trimNext = m[3] === "-";
        last = (m.index ?? 0) + m[0].length;
    }
    let rest = template.slice(last);
    if (trimNext) rest = rest.replace(/^\s+/, "");
    out.push({ text: rest });
    return out;
}

function lookup(ref: string, scope: Scope): unknown {
    if (ref === ".") return scope.dot;
    const m = /^\$?\.((?:Values|Release)(?:\.[A-Za-z0-9_]+)*)$/.exec(ref);
    if (!m) throw new Error(`helmTemplate: unsupported reference ${ref}`);
    const base = ref.startsWith("$") ? scope.root : (scope.dot as Record<string, unknown>);
    return m[1].split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], base);
}

/** Helm's toYaml (sigs.k8s.io/yaml, trailing newline trimmed), then nindent. */
function toYaml(value: unknown, indent: number): string {
    const text = YAML.stringify(value ?? null, { lineWidth: 0 }).replace(/\n$/, "");
    return "\n" + text.split("\n").map((l) => " ".repeat(indent) + l).join("\n");
}

function evaluate(action: string, scope: Scope): string {
    const toYamlAction = /^toYaml (\S+) \| nindent (\d+)$/.exec(action);
    if (toYamlAction) return toYaml(lookup(toYamlAction[1], scope), Number(toYamlAction[2]));
    if (action === "." || /^\$?\.Release\.[A-Za-z]+$/.test(action)) return String(lookup(action, scope));
    throw new Error(`helmTemplate: unsupported action {{ ${action} }}`);
}

function run(ts: Token[], scope: Scope): string {
    let out = "";
    for (let i = 0; i < ts.length; i++) {
        const t = ts[i];
        if (t.text !== undefined) {
            out += t.text;
            continue;
        }
        const range = /^range (\S+)$/.exec(t.action as string);
        if (range) {
            const end = ts.findIndex((x, j) => j > i && x.action === "end");
            if (end < 0 || ts.slice(i + 1, end).some((x) => x.action?.startsWith("range"))) throw new Error("helmTemplate: unsupported range nesting");
            const items = lookup(range[1], scope);
            for (const item of (items as unknown[]) ?? []) out += run(ts.slice(i + 1, end), { root: scope.root, dot: item });
            i = end;
            continue;
        }
        out += evaluate(t.action as string, scope);
    }
    return out;
}

/** The objects one template renders to, with the chart's values and the release's namespace. */
export function renderTemplate(template: string, values: Record<string, unknown>, releaseNamespace: string): Record<string, unknown>[] {
    const root = { Values: values, Release: { Namespace: releaseNamespace } };
    const text = run(tokens(template), { root, dot: root });
    return YAML.parseAllDocuments(text)
        .map((d) => {
            if (d.errors.length > 0) throw new Error(`helmTemplate: ${d.errors[0].message}\n${text}`);
            return d.toJS();
        })
        .filter((o) => o !== null && o !== undefined);
}
