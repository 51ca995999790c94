// The karpenter-spark policy pack: `pulumi preview --policy-pack policy` (from the repository
// root) checks a stack against these rules before anything is deployed.
import { PolicyPack } from "@pulumi/policy";
import { resourceRules, stackRules } from "./rules";

new PolicyPack("karpenter-spark", {
    policies: [...resourceRules, ...stackRules],
});
