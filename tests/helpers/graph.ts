// The dependency graph the Pulumi engine builds from the registrations: a resource depends on
// every URN in its dependencies and on its parent. The engine creates and updates dependencies
// first and deletes dependents first, so "A depends on B" means "A is deleted before B".
import { Registration } from "../../tools/mocks";

export class DependencyGraph {
    private readonly byUrn: Map<string, Registration>;

    constructor(readonly registrations: Registration[]) {
        this.byUrn = new Map(registrations.map((r) => [r.urn, r]));
    }

    direct(urn: string): string[] {
        const r = this.byUrn.get(urn);
        return r ? [...r.dependencies, ...(r.parent ? [r.parent] : [])] : [];
    }

    /** Every URN `urn` depends on, directly or transitively. */
    upstream(urn: string): Set<string> {
        const seen = new Set<string>();
        const stack = [urn];
        while (stack.length) {
            for (const next of this.direct(stack.pop() as string)) {
                if (!seen.has(next)) {
                    seen.add(next);
                    stack.push(next);
                }
            }
        }
        return seen;
    }

    dependsOn(a: Registration, b: Registration): boolean {
        return this.upstream(a.urn).has(b.urn);
    }

    /** URNs that sit on a dependency cycle (none, in a graph the engine can run). */
    cycles(): string[] {
        return this.registrations.filter((r) => this.upstream(r.urn).has(r.urn)).map((r) => r.urn);
    }

    /** A deletion order: each resource after everything that depends on it. */
    deletionOrder(): Registration[] {
        const order: Registration[] = [];
        const done = new Set<string>();
        const dependents = new Map<string, string[]>();
        for (const r of this.registrations) {
            for (const d of this.direct(r.urn)) {
                dependents.set(d, [...(dependents.get(d) ?? []), r.urn]);
            }
        }
        const visit = (urn: string) => {
            if (done.has(urn)) return;
            done.add(urn);
            for (const d of dependents.get(urn) ?? []) visit(d);
            const r = this.byUrn.get(urn);
            if (r) order.push(r);
        };
        this.registrations.forEach((r) => visit(r.urn));
        return order;
    }
}
