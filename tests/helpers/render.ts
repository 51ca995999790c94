// Renders for the tests: the same renderStack as `npm run render`, memoised per stack and config
// so that a suite run evaluates each distinct stack once.
import { isDeepStrictEqual } from "util";
import { readStackConfig, renderStack, RenderResult } from "../../tools/render";
import { Registration } from "../../tools/mocks";

const cache: { key: unknown; result: Promise<RenderResult> }[] = [];

/**
 * The API allow-list the tests render prod with, passed explicitly as `npm run render -- prod
 * --config ...` does: Pulumi.prod.yaml ships a placeholder the stack refuses. A public range that
 * is nobody's deployer in particular (offline, nothing connects).
 */
export const PROD_ALLOW_LIST = { "karpenter-spark:endpointPublicAccessCidrs": '["52.94.133.0/24"]' } as const;

/** The same value as a tool's command-line flag. */
export const PROD_CONFIG_FLAG = ["--config", `karpenter-spark:endpointPublicAccessCidrs=${PROD_ALLOW_LIST["karpenter-spark:endpointPublicAccessCidrs"]}`];

/** Pulumi.<stack>.yaml's config map, with prod's allow-list set explicitly. */
export function stackConfigForTests(stack: string): Record<string, string> {
    return { ...readStackConfig(stack), ...(stack === "prod" ? PROD_ALLOW_LIST : {}) };
}

/** A stack rendered from Pulumi.<stack>.yaml, with `overrides` applied (a null value removes a key). */
export function rendered(
    stack: string,
    overrides: Record<string, string | null> = {},
    deployedOutputs?: Record<string, unknown>,
    preview = false,
): Promise<RenderResult> {
    const config: Record<string, string> = stackConfigForTests(stack);
    for (const [k, v] of Object.entries(overrides)) {
        if (v === null) {
            delete config[k];
        } else {
            config[k] = v;
        }
    }
    const key = { stack, config, deployedOutputs, preview };
    const hit = cache.find((c) => isDeepStrictEqual(c.key, key));
    if (hit) {
        return hit.result;
    }
    // Renders share the SDK's global state: run them one after another.
    const previous = cache.length ? cache[cache.length - 1].result.catch(() => undefined) : Promise.resolve();
    const result = previous.then(() => renderStack({ stack, config, deployedOutputs, preview }));
    cache.push({ key, result });
    return result;
}

export function ofType(r: RenderResult, type: string): Registration[] {
    return r.registrations.filter((x) => x.type === type);
}

export function one(r: RenderResult, type: string, name?: string): Registration {
    const found = ofType(r, type).filter((x) => name === undefined || x.name === name);
    if (found.length !== 1) {
        throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
    }
    return found[0];
}

/** Kubernetes objects of a render as plain manifests (what `out/<stack>/manifests/` holds). */
export function manifests(r: RenderResult, kind?: string): any[] {
    return r.registrations
        .filter((x) => x.type.startsWith("kubernetes:") && x.type !== "kubernetes:helm.sh/v3:Release")
        .map((x) => x.inputs as any)
        .filter((m) => kind === undefined || m.kind === kind);
}
