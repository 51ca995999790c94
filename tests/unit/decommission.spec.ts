import { expect } from "chai";
import {
    DECOM_SCRIPT_LEGACY_WAIT_CAP_SECONDS,
    decommissionTimeline,
    EXECUTOR_DECOMMISSION_FORCE_KILL_SECONDS,
    EXECUTOR_TERMINATION_GRACE_SECONDS,
    SPOT_INTERRUPTION_NOTICE_SECONDS,
} from "../../components/spark/decommission";
import { manifests, rendered } from "../helpers/render";

describe("Executor decommission timeline against the two-minute Spot notice", () => {
    it("orders the events: pods deleted, executor done before decom.sh's old 60 s cap, grace period ends, then the instance goes", () => {
        const t = decommissionTimeline();
        expect(EXECUTOR_DECOMMISSION_FORCE_KILL_SECONDS).to.be.lessThan(DECOM_SCRIPT_LEGACY_WAIT_CAP_SECONDS);
        expect(t.podDeleted).to.be.lessThan(t.executorForceKilled);
        expect(t.executorForceKilled).to.be.lessThan(t.preStopDone);
        expect(t.preStopDone).to.be.lessThan(t.podKilled);
        expect(t.podKilled).to.be.at.most(SPOT_INTERRUPTION_NOTICE_SECONDS - 20);
    });

    it("the rendered example job carries exactly these numbers", async () => {
        const [app] = manifests(await rendered("dev"), "SparkApplication");
        expect(app.spec.sparkConf["spark.executor.decommission.forceKillTimeout"]).to.equal(`${EXECUTOR_DECOMMISSION_FORCE_KILL_SECONDS}s`);
        expect(app.spec.executor.terminationGracePeriodSeconds).to.equal(EXECUTOR_TERMINATION_GRACE_SECONDS);
        expect(app.spec.executor.template.spec.terminationGracePeriodSeconds).to.equal(EXECUTOR_TERMINATION_GRACE_SECONDS);
        // The old numbers (90 s force-kill, 110 s grace) outlived decom.sh's 60 s cap and left no margin.
        expect([app.spec.sparkConf["spark.executor.decommission.forceKillTimeout"], app.spec.executor.terminationGracePeriodSeconds]).to.not.deep.equal(["90s", 110]);
    });
});
